import { useEffect, useState } from 'react';
import { acceptInvitation, logIn, previewInvitation } from '../api/auth.ts';
import { ApiError, setCsrfToken } from '../api/client.ts';
import type { Session } from '../api/types.ts';
import { ConfirmPasswordField, EmailField, NameField, PasswordField } from '../components/account-fields.tsx';
import { Button, LinkButton } from '../components/button.tsx';
import { Callout } from '../components/feedback.tsx';
import { useFormSubmit } from '../hooks/use-form-submit.ts';
import { checkEmail, checkNewPassword, type FieldErrors } from '../lib/validation.ts';
import { AuthFrame, describeAuthError } from './auth-page.tsx';

type InviteField = 'name' | 'email' | 'password' | 'confirm';

/** New here: choose a name and password. Invited with an address that has an account: sign in as it, then join. */
type Mode = 'new-account' | 'existing-account';

/**
 * The page an invitation link opens. A new address chooses a name and password; an address that already has
 * an account joins only once signed in as it (the server answers SIGN_IN_REQUIRED otherwise), confirming its
 * password, so the page signs in first and then accepts.
 */
export function AcceptInvitationPage({
  token,
  signedInAs,
  onAccepted,
}: {
  token: string | null;
  signedInAs?: string;
  onAccepted: (session: Session) => void;
}) {
  const [mode, setMode] = useState<Mode>(signedInAs ? 'existing-account' : 'new-account');
  const [name, setName] = useState('');
  const [email, setEmail] = useState(signedInAs ?? '');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [notice, setNotice] = useState<string>();
  const [isInvalid, setIsInvalid] = useState(false);
  // Whom this page has signed in as (or the dashboard already was), so a retry does not sign in again.
  const [sessionEmail, setSessionEmail] = useState(signedInAs?.toLowerCase());
  // Which workspace the link joins, for which address, as what: read before anything is typed.
  const [offer, setOffer] = useState<{ workspaceName: string; email: string; role: string }>();
  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    previewInvitation(token, controller.signal).then(setOffer, (error: unknown) => {
      if (error instanceof ApiError && error.code === 'INVITATION_NOT_FOUND') setIsInvalid(true);
    });
    return () => controller.abort();
  }, [token]);

  const validate = (): FieldErrors<InviteField> => {
    const found: FieldErrors<InviteField> = {};
    if (mode === 'new-account') {
      if (!name.trim()) found.name = 'Tell your team who you are.';
      Object.assign(found, checkNewPassword(password, confirm));
    } else {
      const emailError = checkEmail(email);
      if (emailError) found.email = emailError;
      if (!password) found.password = 'Enter your password.';
    }
    return found;
  };

  const accept = async (): Promise<Session> => {
    const address = email.trim().toLowerCase();
    if (mode === 'existing-account' && sessionEmail !== address) {
      const session = await logIn({ email: address, password });
      setCsrfToken(session.csrfToken);
      setSessionEmail(session.user.email);
    }
    if (!token) throw new Error('The link has no invitation token.');
    const body = mode === 'new-account' ? { token, name: name.trim(), password } : { token, password };
    return acceptInvitation(body);
  };

  const form = useFormSubmit<InviteField, Session>({
    validate,
    submit: accept,
    onSuccess: onAccepted,
    explainFailure: (error) => {
      if (error instanceof ApiError && error.code === 'INVITATION_NOT_FOUND') {
        setIsInvalid(true);
        return {};
      }
      if (error instanceof ApiError && error.code === 'SIGN_IN_REQUIRED') {
        if (mode !== 'new-account') {
          return {
            formError:
              'This invitation is for another email address. Sign in with the address it was sent to.',
          };
        }
        switchTo(
          'existing-account',
          'This email address already has a PollyBot account. Sign in with it to join the workspace.',
        );
        return {};
      }
      if (error instanceof ApiError && error.code === 'INVALID_CREDENTIALS') {
        return { formError: 'That email and password do not match an account.' };
      }
      return { formError: describeAuthError(error) };
    },
  });
  const { errors, setErrors, formError, setFormError, isPending: isSubmitting } = form;

  const switchTo = (next: Mode, message?: string) => {
    setMode(next);
    setErrors(() => ({}));
    setFormError(undefined);
    setNotice(message);
    setConfirm('');
  };

  if (!token || isInvalid) {
    return (
      <AuthFrame
        title="This invitation cannot be used"
        subtitle="Invitations work once and expire after a while."
      >
        <div className="form">
          <Callout tone="warning" title={token ? 'Invitation not found' : 'The link is incomplete'}>
            {token
              ? 'It was already used, revoked, has expired, or was mistyped. Ask the person who invited you for a new link.'
              : 'The link has no invitation token. Copy the whole link from your invitation and open it again.'}
          </Callout>
          <div className="form__actions">
            <LinkButton href="#/" variant="primary">
              Go to sign in
            </LinkButton>
          </div>
        </div>
      </AuthFrame>
    );
  }

  const isNew = mode === 'new-account';
  return (
    <AuthFrame
      title="Join your team on PollyBot"
      subtitle={
        isNew
          ? 'Choose your name and a password to accept the invitation.'
          : 'Sign in with the account the invitation was sent to, then you join the workspace.'
      }
    >
      <form className="form" onSubmit={form.handleSubmit} noValidate>
        {offer ? (
          <p className="invitation-offer">
            You are invited to join <strong>{offer.workspaceName}</strong> as{' '}
            {offer.role === 'admin' ? 'an' : 'a'} <strong>{offer.role}</strong>, with the address{' '}
            <strong>{offer.email}</strong>.
          </p>
        ) : null}
        {signedInAs && isNew ? (
          <Callout tone="info">
            You are signed in as {signedInAs}. Accepting signs you in as the invited account instead.
          </Callout>
        ) : null}
        {notice ? <Callout tone="info">{notice}</Callout> : null}
        {formError ? <Callout tone="danger">{formError}</Callout> : null}
        {isNew ? (
          <NameField value={name} error={errors.name} onChange={setName} />
        ) : (
          <EmailField autoComplete="username" value={email} error={errors.email} onChange={setEmail} />
        )}
        <PasswordField
          isNew={isNew}
          hint={isNew ? 'At least 10 characters.' : 'Your account’s password, to confirm it is you.'}
          value={password}
          error={errors.password}
          onChange={setPassword}
        />
        {isNew ? <ConfirmPasswordField value={confirm} error={errors.confirm} onChange={setConfirm} /> : null}
        <Button type="submit" variant="primary" isLoading={isSubmitting} className="button--block">
          {isNew ? 'Accept invitation' : 'Sign in and accept'}
        </Button>
        <p className="form__note">
          {isNew ? 'Already have a PollyBot account with this email? ' : 'New to PollyBot? '}
          <button
            type="button"
            className="link-button"
            onClick={() => switchTo(isNew ? 'existing-account' : 'new-account')}
          >
            {isNew ? 'Sign in to accept' : 'Create an account instead'}
          </button>
        </p>
      </form>
    </AuthFrame>
  );
}
