import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { Icon, type IconName } from './icons.tsx';

export type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: 'sm' | 'md';
  icon?: IconName;
  isLoading?: boolean;
  children?: ReactNode;
}

/** The one button: variants for emphasis, a spinner while its action runs. */
export function Button({
  variant = 'secondary',
  size = 'md',
  icon,
  isLoading = false,
  disabled,
  className,
  children,
  type = 'button',
  ...rest
}: ButtonProps) {
  const classes = ['button', `button--${variant}`, size === 'sm' ? 'button--sm' : '', className ?? '']
    .filter(Boolean)
    .join(' ');
  return (
    <button
      type={type}
      className={classes}
      disabled={disabled || isLoading}
      aria-busy={isLoading || undefined}
      {...rest}
    >
      {isLoading ? (
        <span className="spinner" aria-hidden="true" />
      ) : icon ? (
        <Icon name={icon} size={16} />
      ) : null}
      {children}
    </button>
  );
}

export interface LinkButtonProps {
  href: string;
  variant?: ButtonVariant;
  size?: 'sm' | 'md';
  icon?: IconName;
  children: ReactNode;
  external?: boolean;
  title?: string;
}

/** A link that looks like a button (navigation, not an action). */
export function LinkButton({
  href,
  variant = 'secondary',
  size = 'md',
  icon,
  children,
  external,
  title,
}: LinkButtonProps) {
  return (
    <a
      href={href}
      title={title}
      className={`button button--${variant}${size === 'sm' ? ' button--sm' : ''}`}
      {...(external ? { target: '_blank', rel: 'noreferrer' } : {})}
    >
      {icon ? <Icon name={icon} size={16} /> : null}
      {children}
    </a>
  );
}
