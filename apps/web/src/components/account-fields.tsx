import type { ReactNode } from 'react';
import { Field } from './form.tsx';

interface AccountInputProps {
  value: string;
  error?: string;
  onChange: (value: string) => void;
}

/** One labelled text input of the sign-in, setup and invitation forms. */
function AccountInput({
  label,
  hint,
  type,
  autoComplete,
  value,
  error,
  onChange,
}: AccountInputProps & {
  label: string;
  hint?: ReactNode;
  type?: 'email' | 'password';
  autoComplete: string;
}) {
  return (
    <Field label={label} error={error} hint={hint}>
      {(props) => (
        <input
          {...props}
          className="input"
          type={type}
          autoComplete={autoComplete}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

/** "Your name", for a new account. */
export function NameField(props: AccountInputProps) {
  return <AccountInput {...props} label="Your name" autoComplete="name" />;
}

/** "Email": `username` when it names an existing account, `email` when it makes a new one. */
export function EmailField({
  autoComplete,
  ...props
}: AccountInputProps & { autoComplete: 'email' | 'username' }) {
  return <AccountInput {...props} label="Email" type="email" autoComplete={autoComplete} />;
}

/** "Password": a new one being chosen, or the account's current one. */
export function PasswordField({
  isNew,
  hint,
  label = 'Password',
  ...props
}: AccountInputProps & { isNew: boolean; hint?: ReactNode; label?: string }) {
  return (
    <AccountInput
      {...props}
      label={label}
      hint={hint}
      type="password"
      autoComplete={isNew ? 'new-password' : 'current-password'}
    />
  );
}

/** "Confirm password", beside a new password. */
export function ConfirmPasswordField(props: AccountInputProps) {
  return <AccountInput {...props} label="Confirm password" type="password" autoComplete="new-password" />;
}
