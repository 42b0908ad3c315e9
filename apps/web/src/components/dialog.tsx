import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useFormSubmit } from '../hooks/use-form-submit.ts';
import { Button } from './button.tsx';
import { Icon } from './icons.tsx';
import './dialog.css';

export interface DialogProps {
  title: string;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
  onClose: () => void;
  size?: 'sm' | 'md' | 'lg';
  /** While an action runs the dialog cannot be dismissed. */
  isBusy?: boolean;
}

const FIRST_FIELD =
  '.dialog__body :is(input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"]), select, textarea):not([disabled])';

/**
 * A modal dialog on the native <dialog> element: focus trapped, Escape and the backdrop close it. It opens
 * on its first field and, closed, gives focus back to the button that opened it.
 */
export function Dialog({
  title,
  description,
  children,
  footer,
  onClose,
  size = 'md',
  isBusy = false,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  const busyRef = useRef(isBusy);
  busyRef.current = isBusy;
  // The button that opened the dialog: focus is still on it while the dialog first renders.
  const [opener] = useState(() =>
    document.activeElement instanceof HTMLElement ? document.activeElement : null,
  );

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // A button React already focused (autoFocus), if any.
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // The first field, else what asked for focus (autoFocus), else the browser's choice (the close button).
    const field = dialog.querySelector<HTMLElement>(FIRST_FIELD);
    const target = field ?? (focused && dialog.contains(focused) ? focused : null);
    target?.focus();
    const onCancel = (event: Event) => {
      event.preventDefault();
      if (!busyRef.current) closeRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      // Back to the button that opened it, when it is still on the page.
      if (opener?.isConnected && opener !== document.body) opener.focus();
    };
  }, [opener]);

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: Escape closes it through the dialog's own cancel event
    <dialog
      ref={ref}
      className={`dialog dialog--${size}`}
      aria-labelledby={titleId}
      onClick={(event) => {
        if (event.target === ref.current && !busyRef.current) onClose();
      }}
    >
      <div className="dialog__panel">
        <header className="dialog__header">
          <div>
            <h2 id={titleId} className="dialog__title">
              {title}
            </h2>
            {description ? <div className="dialog__description">{description}</div> : null}
          </div>
          <button
            type="button"
            className="icon-button"
            onClick={onClose}
            disabled={isBusy}
            aria-label="Close"
          >
            <Icon name="close" size={18} />
          </button>
        </header>
        {children ? <div className="dialog__body">{children}</div> : null}
        {footer ? <footer className="dialog__footer">{footer}</footer> : null}
      </div>
    </dialog>
  );
}

export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
  tone?: 'danger' | 'primary';
}

/** "Are you sure?" for actions that cannot be undone; stays open while the action runs. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  tone = 'danger',
}: ConfirmDialogProps) {
  const action = useFormSubmit({
    submit: onConfirm,
    onSuccess: onClose,
    // The caller reported the failure; keep the dialog so the person can retry or cancel.
    explainFailure: () => ({}),
  });
  return (
    <Dialog
      title={title}
      size="sm"
      onClose={onClose}
      isBusy={action.isPending}
      footer={
        <>
          <Button onClick={onClose} disabled={action.isPending}>
            Cancel
          </Button>
          <Button
            variant={tone}
            onClick={() => void action.handleSubmit()}
            isLoading={action.isPending}
            autoFocus
          >
            {confirmLabel}
          </Button>
        </>
      }
    >
      <div className="dialog__text">{children}</div>
    </Dialog>
  );
}

/** The Cancel and submit buttons at the foot of a form in a dialog; both wait while the form is sent. */
export function DialogFormActions({
  submitLabel,
  isPending,
  onCancel,
}: {
  submitLabel: ReactNode;
  isPending: boolean;
  onCancel: () => void;
}) {
  return (
    <div className="form__actions">
      <Button onClick={onCancel} disabled={isPending}>
        Cancel
      </Button>
      <Button type="submit" variant="primary" isLoading={isPending}>
        {submitLabel}
      </Button>
    </div>
  );
}
