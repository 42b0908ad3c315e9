import { type ReactNode, useState } from 'react';
import { logIn, setUp } from '../api/auth.ts';
import { ApiError } from '../api/client.ts';
import type { Session } from '../api/types.ts';
import { ConfirmPasswordField, EmailField, NameField, PasswordField } from '../components/account-fields.tsx';
import { Button } from '../components/button.tsx';
import { Callout } from '../components/feedback.tsx';
import { Field } from '../components/form.tsx';
import { Logo } from '../components/icons.tsx';
import { useFormSubmit } from '../hooks/use-form-submit.ts';
import { formatDuration } from '../lib/format.ts';
import { checkEmail, checkNewPassword, type FieldErrors } from '../lib/validation.ts';
import './auth-page.css';

/** The frame of the signed-out pages: the brand on one side, a form card on the other. */
export function AuthFrame({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="auth">
      <div className="auth__aside" aria-hidden="true">
        <div className="auth__brand">
          <Logo size={40} />
          <strong>PollyBot</strong>
        </div>
        <p className="auth__tagline">Smart Conversations, Seamless Automation.</p>
        <ul className="auth__points">
          <li>Chatbots on OpenAI, Anthropic, Ollama or the built-in model</li>
          <li>Streaming replies, conversations and metadata through one API</li>
          <li>Exact rate limits and credits, API keys stored only as hashes</li>
        </ul>
      </div>
      <div className="auth__main">
        <div className="auth__card">
          <div className="auth__mobile-brand">
            <Logo size={34} />
            <strong>PollyBot</strong>
          </div>
          <h1 className="auth__title">{title}</h1>
          <p className="auth__subtitle">{subtitle}</p>
          {children}
        </div>
      </div>
    </div>
  );
}

type AuthField = 'setupToken' | 'name' | 'email' | 'password' | 'confirm';

/** A sign-in failure in words people can act on. */
export function describeAuthError(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Try again.';
  if (error.code === 'INVALID_CREDENTIALS') return 'That email and password do not match an account.';
  if (error.code === 'RATE_LIMIT_EXCEEDED') {
    const wait = error.retryAfter;
    return `Too many attempts. Try again${wait ? ` in ${formatDuration(wait)}` : ' later'}.`;
  }
  if (error.code === 'SETUP_ALREADY_DONE')
    return 'The owner account already exists. Reload the page to sign in.';
  if (error.code === 'SETUP_TOKEN_INVALID')
    return 'That setup token is not right. Copy it again from the server’s start-up output (its log), or use the admin token.';
  return error.message;
}

/** First run: create the owner account. Afterwards: sign in. */
export function AuthPage({
  needsSetup,
  onSignedIn,
}: {
  needsSetup: boolean;
  onSignedIn: (session: Session) => void;
}) {
  const [setupToken, setSetupToken] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');

  const validate = (): FieldErrors<AuthField> => {
    const found: FieldErrors<AuthField> = {};
    const emailError = checkEmail(email);
    if (emailError) found.email = emailError;
    if (needsSetup) {
      if (!setupToken.trim()) found.setupToken = 'Paste the setup token from the server’s start-up output.';
      if (!name.trim()) found.name = 'Tell us your name.';
      Object.assign(found, checkNewPassword(password, confirm));
    } else if (!password) {
      found.password = 'Enter your password.';
    }
    return found;
  };

  const form = useFormSubmit<AuthField, Session>({
    validate,
    submit: () =>
      needsSetup
        ? setUp({ setupToken: setupToken.trim(), email: email.trim(), name: name.trim(), password })
        : logIn({ email: email.trim(), password }),
    onSuccess: onSignedIn,
    explainFailure: (error) => ({ formError: describeAuthError(error) }),
  });
  const { errors, setErrors, formError, isPending: isSubmitting } = form;

  const clear = (field: AuthField) => setErrors((current) => ({ ...current, [field]: undefined }));

  return (
    <AuthFrame
      title={needsSetup ? 'Create the owner account' : 'Sign in to PollyBot'}
      subtitle={
        needsSetup
          ? 'Welcome! This account owns the workspace and can invite your team later.'
          : 'Welcome back. Sign in to manage your chatbots.'
      }
    >
      <form className="form" onSubmit={form.handleSubmit} noValidate>
        {formError ? <Callout tone="danger">{formError}</Callout> : null}
        {needsSetup ? (
          <Field
            label="Setup token"
            error={errors.setupToken}
            hint={
              <>
                Only whoever runs the server can create this account. The token is printed in the server’s
                start-up output (its terminal or log, e.g. <code>docker compose logs pollybot</code>) after
                “with this setup token”. The admin token (<code>POLLYBOT_ADMIN_TOKEN</code>) works too.
              </>
            }
          >
            {(props) => (
              <input
                {...props}
                className="input mono"
                autoComplete="off"
                spellCheck={false}
                value={setupToken}
                onChange={(event) => {
                  setSetupToken(event.target.value);
                  clear('setupToken');
                }}
              />
            )}
          </Field>
        ) : null}
        {needsSetup ? (
          <NameField
            value={name}
            error={errors.name}
            onChange={(value) => {
              setName(value);
              clear('name');
            }}
          />
        ) : null}
        <EmailField
          autoComplete={needsSetup ? 'email' : 'username'}
          value={email}
          error={errors.email}
          onChange={(value) => {
            setEmail(value);
            clear('email');
          }}
        />
        <PasswordField
          isNew={needsSetup}
          hint={needsSetup ? 'At least 10 characters.' : undefined}
          value={password}
          error={errors.password}
          onChange={(value) => {
            setPassword(value);
            clear('password');
          }}
        />
        {needsSetup ? (
          <ConfirmPasswordField
            value={confirm}
            error={errors.confirm}
            onChange={(value) => {
              setConfirm(value);
              clear('confirm');
            }}
          />
        ) : null}
        <Button type="submit" variant="primary" isLoading={isSubmitting} className="button--block">
          {needsSetup ? 'Create account and continue' : 'Sign in'}
        </Button>
        {!needsSetup ? (
          <p className="form__note">Invited to a workspace? Open the invitation link you were sent.</p>
        ) : null}
      </form>
    </AuthFrame>
  );
}
