import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import { Button } from './button.tsx';
import { Icon, type IconName } from './icons.tsx';
import './feedback.css';

export type BadgeTone = 'neutral' | 'success' | 'warning' | 'danger' | 'info' | 'accent';

/** A short status label; `spinner` for work under way. */
export function Badge({
  tone = 'neutral',
  children,
  dot,
  spinner,
}: {
  tone?: BadgeTone;
  children: ReactNode;
  dot?: boolean;
  spinner?: boolean;
}) {
  return (
    <span className={`badge badge--${tone}`}>
      {spinner ? <span className="badge__spinner" aria-hidden="true" /> : null}
      {dot && !spinner ? <span className="badge__dot" aria-hidden="true" /> : null}
      {children}
    </span>
  );
}

/** A grey placeholder shaped like the content that is loading. */
export function Skeleton({
  width,
  height = 14,
  className,
}: {
  width?: string | number;
  height?: number;
  className?: string;
}) {
  return <span className={`skeleton ${className ?? ''}`} style={{ width, height }} aria-hidden="true" />;
}

/** Placeholder rows for a table that is loading. */
export function SkeletonRows({ rows = 4, columns }: { rows?: number; columns: number }) {
  return (
    <>
      {Array.from({ length: rows }, (_, row) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <tr key={row} className="table__skeleton-row">
          {Array.from({ length: columns }, (_, column) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
            <td key={column}>
              <Skeleton width={column === 0 ? '70%' : `${40 + ((row * 7 + column * 13) % 40)}%`} />
            </td>
          ))}
        </tr>
      ))}
    </>
  );
}

/** What a list shows when it has nothing yet: what it is for and how to fill it. */
export function EmptyState({
  icon,
  title,
  children,
  action,
}: {
  icon: IconName;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="empty-state">
      <div className="empty-state__icon">
        <Icon name={icon} size={26} />
      </div>
      <h3 className="empty-state__title">{title}</h3>
      {children ? <div className="empty-state__text">{children}</div> : null}
      {action ? <div className="empty-state__action">{action}</div> : null}
    </div>
  );
}

/** Why something could not load, with a way to try again. */
export function ErrorState({
  error,
  onRetry,
  title,
}: {
  error: Error;
  onRetry?: () => void;
  title?: string;
}) {
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <div className="error-state" role="alert">
      <div className="error-state__icon">
        <Icon name="alert" size={22} />
      </div>
      <div className="error-state__body">
        <strong>{title ?? 'This could not be loaded'}</strong>
        <p>
          {error.message}
          {code && code !== 'NETWORK_ERROR' ? <code className="error-state__code">{code}</code> : null}
        </p>
      </div>
      {onRetry ? (
        <Button size="sm" icon="refresh" onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </div>
  );
}

/** A callout inside a page: tips, warnings, and what an error means. */
export function Callout({
  tone = 'info',
  title,
  children,
  icon,
}: {
  tone?: 'info' | 'warning' | 'danger' | 'success';
  title?: string;
  children?: ReactNode;
  icon?: IconName;
}) {
  const fallbackIcon: IconName = tone === 'success' ? 'check' : tone === 'info' ? 'info' : 'alert';
  return (
    <div className={`callout callout--${tone}`} role={tone === 'danger' ? 'alert' : undefined}>
      <Icon name={icon ?? fallbackIcon} size={18} className="callout__icon" />
      <div className="callout__body">
        {title ? <strong className="callout__title">{title}</strong> : null}
        {children}
      </div>
    </div>
  );
}

/** "Load more" under a paged list. */
export function LoadMore({
  hasMore,
  isLoading,
  onClick,
}: {
  hasMore: boolean;
  isLoading: boolean;
  onClick: () => void;
}) {
  if (!hasMore) return null;
  return (
    <div className="load-more">
      <Button onClick={onClick} isLoading={isLoading}>
        Load more
      </Button>
    </div>
  );
}
