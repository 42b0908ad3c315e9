import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { Icon } from './icons.tsx';
import './toast.css';

type ToastTone = 'success' | 'error' | 'info';

interface Toast {
  id: number;
  tone: ToastTone;
  title: string;
  description?: string;
}

export interface Toaster {
  success: (title: string, description?: string) => void;
  error: (title: string, cause?: unknown) => void;
  info: (title: string, description?: string) => void;
  /** Removes every notice, e.g. on sign-out, so that none outlives the session it was about. */
  clear: () => void;
}

const ToastContext = createContext<Toaster | undefined>(undefined);

const TIMEOUTS: Record<ToastTone, number> = { success: 4000, info: 5000, error: 8000 };

/** Describes a failure for a toast: the server's sentence, else a generic one. */
function describe(cause: unknown): string | undefined {
  if (cause instanceof ApiError) return cause.message;
  if (cause instanceof Error) return cause.message;
  return undefined;
}

/** Short-lived notices in the corner: what just succeeded or failed. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback(
    (id: number) => setToasts((current) => current.filter((toast) => toast.id !== id)),
    [],
  );
  const show = useCallback(
    (tone: ToastTone, title: string, description?: string) => {
      const id = nextId.current++;
      setToasts((current) => [...current.slice(-3), { id, tone, title, description }]);
      window.setTimeout(() => dismiss(id), TIMEOUTS[tone]);
    },
    [dismiss],
  );
  const clear = useCallback(() => setToasts([]), []);
  const toaster = useMemo<Toaster>(
    () => ({
      success: (title, description) => show('success', title, description),
      info: (title, description) => show('info', title, description),
      error: (title, cause) => show('error', title, describe(cause)),
      clear,
    }),
    [show, clear],
  );

  return (
    <ToastContext.Provider value={toaster}>
      {children}
      <section className="toasts" aria-live="polite" aria-label="Notifications">
        {toasts.map((toast) => (
          <div
            key={toast.id}
            className={`toast toast--${toast.tone}`}
            role={toast.tone === 'error' ? 'alert' : 'status'}
          >
            <Icon
              name={toast.tone === 'success' ? 'check' : toast.tone === 'error' ? 'alert' : 'info'}
              size={18}
            />
            <div className="toast__body">
              <strong>{toast.title}</strong>
              {toast.description ? <p>{toast.description}</p> : null}
            </div>
            <button
              type="button"
              className="icon-button icon-button--sm"
              onClick={() => dismiss(toast.id)}
              aria-label="Dismiss"
            >
              <Icon name="close" size={14} />
            </button>
          </div>
        ))}
      </section>
    </ToastContext.Provider>
  );
}

/** The toaster of the surrounding ToastProvider. */
export function useToast(): Toaster {
  const toaster = useContext(ToastContext);
  if (!toaster) throw new Error('useToast must be used inside <ToastProvider>');
  return toaster;
}
