import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import type { Session } from '../api/types.ts';
import { Button, LinkButton } from '../components/button.tsx';
import { Callout } from '../components/feedback.tsx';
import { Field } from '../components/form.tsx';
import { checkPassword, type FieldErrors } from '../lib/validation.ts';
import { AuthFrame, describeAuthError } from './auth-page.tsx';

type InviteField = 'name' | 'password' | 'confirm';

/** The page an invitation link opens: choose a name and password, then join the workspace. */
export function AcceptInvitationPage({
  token,
  signedInAs,
  onAccepted,
}: {
  token: string | null;
  signedInAs?: string;
  onAccepted: (session: Session) => void;
}) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<FieldErrors<InviteField>>({});
  const [formError, setFormError] = useState<string>();
  const [isInvalid, setIsInvalid] = useState(false);
  const [isSubmitting, setIsSubmitting] = useState(false);

  if (!token || isInvalid) {
    return (
      <AuthFrame
        title="This invitation cannot be used"
        subtitle="Invitations work once and expire after a while."
      >
        <div className="form">
          <Callout tone="warning" title={token ? 'Invitation not found' : 'The link is incomplete'}>
            {token
              ? 'It was already used, has expired, or was mistyped. Ask the person who invited you for a new link.'
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

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors<InviteField> = {};
    if (!name.trim()) found.name = 'Tell your team who you are.';
    const passwordError = checkPassword(password);
    if (passwordError) found.password = passwordError;
    if (!found.password && confirm !== password) found.confirm = 'The passwords do not match.';
    setErrors(found);
    setFormError(undefined);
    if (Object.keys(found).length > 0) return;
    setIsSubmitting(true);
    try {
      const session = await api<Session>('POST', '/api/auth/invitations/accept', {
        body: { token, name: name.trim(), password },
      });
      onAccepted(session);
    } catch (error) {
      setIsSubmitting(false);
      if (error instanceof ApiError && error.code === 'INVITATION_NOT_FOUND') setIsInvalid(true);
      else if (error instanceof ApiError && error.code === 'INVALID_CREDENTIALS') {
        setFormError(
          'This email address already has a PollyBot account: enter that account’s password to join the workspace.',
        );
      } else setFormError(describeAuthError(error));
    }
  };

  return (
    <AuthFrame
      title="Join your team on PollyBot"
      subtitle="Choose your name and a password to accept the invitation."
    >
      <form className="form" onSubmit={submit} noValidate>
        {signedInAs ? (
          <Callout tone="info">
            You are signed in as {signedInAs}. Accepting signs you in as the invited account instead.
          </Callout>
        ) : null}
        {formError ? <Callout tone="danger">{formError}</Callout> : null}
        <Field label="Your name" error={errors.name}>
          {(props) => (
            <input
              {...props}
              className="input"
              autoComplete="name"
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          )}
        </Field>
        <Field
          label="Password"
          error={errors.password}
          hint="At least 10 characters. Already have a PollyBot account with this email? Use its password."
        >
          {(props) => (
            <input
              {...props}
              className="input"
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          )}
        </Field>
        <Field label="Confirm password" error={errors.confirm}>
          {(props) => (
            <input
              {...props}
              className="input"
              type="password"
              autoComplete="new-password"
              value={confirm}
              onChange={(event) => setConfirm(event.target.value)}
            />
          )}
        </Field>
        <Button type="submit" variant="primary" isLoading={isSubmitting} className="button--block">
          Accept invitation
        </Button>
      </form>
    </AuthFrame>
  );
}
