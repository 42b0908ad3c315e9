import { useState } from 'react';
import { changePassword } from '../api/auth.ts';
import { useFormSubmit } from '../hooks/use-form-submit.ts';
import { checkNewPassword, type FieldErrors } from '../lib/validation.ts';
import { ConfirmPasswordField, PasswordField } from './account-fields.tsx';
import { Dialog, DialogFormActions } from './dialog.tsx';
import { Callout } from './feedback.tsx';
import { useToast } from './toast.tsx';

type PasswordFormField = 'current' | 'password' | 'confirm';

/** Changing one's password: the current one, then the new one twice; the person's other sessions end. */
export function PasswordDialog({ onClose }: { onClose: () => void }) {
  const toast = useToast();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');

  const validate = (): FieldErrors<PasswordFormField> => ({
    ...(current ? {} : { current: 'Enter your current password.' }),
    ...checkNewPassword(password, confirm),
  });
  const form = useFormSubmit<PasswordFormField, number>({
    validate,
    submit: () => changePassword({ currentPassword: current, newPassword: password }),
    fieldOf: (path) =>
      path === 'body.currentPassword' ? 'current' : path === 'body.newPassword' ? 'password' : undefined,
    onSuccess: (ended) => {
      toast.success(
        'Password changed',
        ended === 0
          ? 'You had no other session to sign out.'
          : `Signed out ${ended === 1 ? 'your other session' : `your ${ended} other sessions`}.`,
      );
      onClose();
    },
  });

  return (
    <Dialog
      title="Change your password"
      description="Your other sessions, on other devices, are signed out; this one stays signed in."
      onClose={onClose}
      isBusy={form.isPending}
      size="sm"
    >
      <form className="form" onSubmit={(event) => void form.handleSubmit(event)} noValidate>
        <PasswordField
          label="Current password"
          isNew={false}
          value={current}
          error={form.errors.current}
          onChange={(value) => {
            setCurrent(value);
            form.clearError('current');
          }}
        />
        <PasswordField
          label="New password"
          isNew
          hint="At least 10 characters."
          value={password}
          error={form.errors.password}
          onChange={(value) => {
            setPassword(value);
            form.clearError('password');
          }}
        />
        <ConfirmPasswordField
          value={confirm}
          error={form.errors.confirm}
          onChange={(value) => {
            setConfirm(value);
            form.clearError('confirm');
          }}
        />
        {form.formError ? <Callout tone="danger">{form.formError}</Callout> : null}
        <DialogFormActions submitLabel="Change password" isPending={form.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
