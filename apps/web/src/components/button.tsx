import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { Icon, type IconName } from './icons.tsx';
import './button.css';

type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger';

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

interface IconActionProps {
  icon: IconName;
  /** Shown as the tooltip. */
  title: string;
  /** Read by screen readers, naming what the action is about ("Delete Support bot"). */
  label: string;
  className?: string;
}

function iconActionClass(className: string | undefined, danger = false): string {
  return ['icon-button', danger ? 'icon-button--danger' : '', className ?? ''].filter(Boolean).join(' ');
}

/** A row action shown as an icon alone: its tooltip and a label for screen readers. */
export function IconButton({
  icon,
  title,
  label,
  className,
  danger,
  size = 17,
  ...rest
}: IconActionProps &
  Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'className' | 'title'> & {
    danger?: boolean;
    size?: number;
  }) {
  return (
    <button type="button" className={iconActionClass(className, danger)} title={title} {...rest}>
      <Icon name={icon} size={size} />
      <span className="visually-hidden">{label}</span>
    </button>
  );
}

/** A row link shown as an icon alone: its tooltip and a label for screen readers. */
export function IconLink({ icon, title, label, className, href }: IconActionProps & { href: string }) {
  return (
    <a className={iconActionClass(className)} href={href} title={title}>
      <Icon name={icon} size={17} />
      <span className="visually-hidden">{label}</span>
    </a>
  );
}
