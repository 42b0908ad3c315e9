import { useEffect, useState } from 'react';
import { Button } from './button.tsx';
import { useToast } from './toast.tsx';
import './copy.css';

/** Copies text; falls back to a hidden text area where the Clipboard API is missing (plain HTTP). */
async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const isCopied = document.execCommand('copy');
  area.remove();
  if (!isCopied) throw new Error('Your browser blocked copying; select the text and copy it by hand.');
}

/** A Copy button that confirms with a check mark. */
function CopyButton({
  text,
  label = 'Copy',
  size = 'sm',
}: {
  text: string;
  label?: string;
  size?: 'sm' | 'md';
}) {
  const toast = useToast();
  const [isCopied, setIsCopied] = useState(false);
  useEffect(() => {
    if (!isCopied) return;
    const timer = window.setTimeout(() => setIsCopied(false), 1800);
    return () => window.clearTimeout(timer);
  }, [isCopied]);
  return (
    <Button
      size={size}
      icon={isCopied ? 'check' : 'copy'}
      onClick={() =>
        copyText(text).then(
          () => setIsCopied(true),
          (cause: unknown) => toast.error('Could not copy', cause),
        )
      }
    >
      {isCopied ? 'Copied' : label}
    </Button>
  );
}

/** A block of code or a secret with a Copy button. */
export function CodeBlock({ code, label }: { code: string; label?: string }) {
  return (
    <div className="code-block">
      <div className="code-block__bar">
        <span className="code-block__label">{label ?? ''}</span>
        <CopyButton text={code} />
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: long code scrolls sideways, by keyboard too */}
      <pre className="code-block__code" tabIndex={0}>
        <code>{code}</code>
      </pre>
    </div>
  );
}

/** A one-line secret (an API key, an invitation link) with Copy. */
export function SecretField({ value, label }: { value: string; label: string }) {
  return (
    <div className="secret-field">
      <input
        className="input input--mono"
        readOnly
        value={value}
        aria-label={label}
        onFocus={(event) => event.currentTarget.select()}
      />
      <CopyButton text={value} size="md" />
    </div>
  );
}
