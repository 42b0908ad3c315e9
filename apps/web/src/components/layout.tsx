import { type ReactNode, useEffect, useRef, useState } from 'react';
import { capitalize, formatCredits, initials } from '../lib/format.ts';
import { useSession } from '../session.tsx';
import { Badge } from './feedback.tsx';
import { Icon, type IconName, Logo } from './icons.tsx';
import { PasswordDialog } from './password-dialog.tsx';
import './layout.css';

interface NavItem {
  path: string;
  label: string;
  icon: IconName;
  isAdminOnly?: boolean;
}

const NAV_ITEMS: NavItem[] = [
  { path: '/chatbots', label: 'Chatbots', icon: 'bot' },
  { path: '/playground', label: 'Playground', icon: 'message' },
  { path: '/conversations', label: 'Conversations', icon: 'inbox' },
  { path: '/usage', label: 'Usage & credits', icon: 'chart' },
  { path: '/api-keys', label: 'API keys', icon: 'key' },
  { path: '/members', label: 'Members', icon: 'users', isAdminOnly: true },
  { path: '/getting-started', label: 'Getting started', icon: 'code' },
];

/** The signed-in frame: sidebar navigation, the header with workspace and balance, and the page. */
export function Shell({ activePath, children }: { activePath: string; children: ReactNode }) {
  const { canManageMembers } = useSession();
  const [isNavOpen, setIsNavOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs whenever the page changes
  useEffect(() => {
    setIsNavOpen(false);
    window.scrollTo(0, 0);
  }, [activePath]);

  return (
    <div className={`shell${isNavOpen ? ' shell--nav-open' : ''}`}>
      <button type="button" className="skip-link" onClick={skipToMain}>
        Skip to content
      </button>
      <aside className="sidebar" aria-label="Main navigation">
        <a className="sidebar__brand" href="#/chatbots">
          <Logo size={30} />
          <span>
            <strong>PollyBot</strong>
            <small>Smart conversations</small>
          </span>
        </a>
        <nav className="sidebar__nav">
          {NAV_ITEMS.filter((item) => !item.isAdminOnly || canManageMembers).map((item) => {
            const isActive = activePath === item.path || activePath.startsWith(`${item.path}/`);
            return (
              <a
                key={item.path}
                href={`#${item.path}`}
                className={`sidebar__link${isActive ? ' sidebar__link--active' : ''}`}
                aria-current={isActive ? 'page' : undefined}
              >
                <Icon name={item.icon} size={18} />
                {item.label}
              </a>
            );
          })}
        </nav>
        <div className="sidebar__footer">
          <a className="sidebar__link" href="/docs" target="_blank" rel="noreferrer">
            <Icon name="book" size={18} />
            API reference
            <Icon name="external" size={13} className="sidebar__external" />
          </a>
        </div>
      </aside>
      <button
        type="button"
        className="shell__scrim"
        aria-label="Close navigation"
        tabIndex={isNavOpen ? 0 : -1}
        onClick={() => setIsNavOpen(false)}
      />
      <div className="shell__main">
        <Header onOpenNav={() => setIsNavOpen(true)} />
        <main className="page" id="main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}

/** Hash routes own the URL's fragment, so "Skip to content" is a button that moves focus to the page. */
function skipToMain() {
  document.getElementById('main')?.focus();
}

function Header({ onOpenNav }: { onOpenNav: () => void }) {
  const { session } = useSession();
  const credits = session.workspace.credits;
  const tone = credits <= 0 ? 'danger' : credits < 50 ? 'warning' : 'ok';
  return (
    <header className="header">
      <button
        type="button"
        className="icon-button header__menu"
        onClick={onOpenNav}
        aria-label="Open navigation"
      >
        <Icon name="menu" size={20} />
      </button>
      <div className="header__workspace">
        <span className="header__workspace-mark" aria-hidden="true">
          {initials(session.workspace.name)}
        </span>
        <div>
          <span className="header__eyebrow">Workspace</span>
          <strong className="header__workspace-name">{session.workspace.name}</strong>
        </div>
      </div>
      <div className="header__actions">
        <a
          className={`credits-pill credits-pill--${tone}`}
          href="#/usage"
          title="Credits balance: each reply costs the credit price of its model"
        >
          <Icon name="zap" size={15} />
          {formatCredits(credits)}
        </a>
        <UserMenu />
      </div>
    </header>
  );
}

function UserMenu() {
  const { session, signOut } = useSession();
  const [isOpen, setIsOpen] = useState(false);
  const [isSigningOut, setIsSigningOut] = useState(false);
  const [isChangingPassword, setIsChangingPassword] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!isOpen) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (
        event instanceof KeyboardEvent ? event.key === 'Escape' : !ref.current?.contains(event.target as Node)
      ) {
        setIsOpen(false);
      }
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [isOpen]);

  return (
    <div className="user-menu" ref={ref}>
      <button
        ref={triggerRef}
        type="button"
        className="user-menu__trigger"
        aria-haspopup="menu"
        aria-expanded={isOpen}
        onClick={() => setIsOpen((open) => !open)}
      >
        <span className="avatar">{initials(session.user.name || session.user.email)}</span>
        <span className="user-menu__name">{session.user.name}</span>
        <Icon name="chevronDown" size={16} />
      </button>
      {isOpen ? (
        <div className="user-menu__panel" role="menu">
          <div className="user-menu__who">
            <strong>{session.user.name}</strong>
            <span>{session.user.email}</span>
            <Badge tone={session.role === 'member' ? 'neutral' : 'accent'}>{capitalize(session.role)}</Badge>
          </div>
          <button
            type="button"
            role="menuitem"
            className="user-menu__item"
            onClick={() => {
              // Focus goes to the menu's button first, so the dialog gives it back there once closed.
              triggerRef.current?.focus();
              setIsOpen(false);
              setIsChangingPassword(true);
            }}
          >
            <Icon name="key" size={16} />
            Change password
          </button>
          <button
            type="button"
            role="menuitem"
            className="user-menu__item"
            disabled={isSigningOut}
            onClick={() => {
              setIsSigningOut(true);
              void signOut();
            }}
          >
            <Icon name="logout" size={16} />
            {isSigningOut ? 'Signing out…' : 'Sign out'}
          </button>
        </div>
      ) : null}
      {isChangingPassword ? <PasswordDialog onClose={() => setIsChangingPassword(false)} /> : null}
    </div>
  );
}

/** A page's title row: what it is, one sentence on what it is for, and its main actions. */
export function PageHeader({
  title,
  description,
  actions,
  back,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  back?: { href: string; label: string };
}) {
  return (
    <div className="page-header">
      <div>
        {back ? (
          <a className="page-header__back" href={back.href}>
            <Icon name="back" size={14} />
            {back.label}
          </a>
        ) : null}
        <h1 className="page-header__title">{title}</h1>
        {description ? <p className="page-header__description">{description}</p> : null}
      </div>
      {actions ? <div className="page-header__actions">{actions}</div> : null}
    </div>
  );
}

/** A white panel with an optional title row. */
export function Card({
  title,
  description,
  actions,
  children,
  flush,
  className,
}: {
  title?: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  flush?: boolean;
  className?: string;
}) {
  return (
    <section className={`card${flush ? ' card--flush' : ''}${className ? ` ${className}` : ''}`}>
      {title || actions ? (
        <header className="card__header">
          <div>
            {title ? <h2 className="card__title">{title}</h2> : null}
            {description ? <p className="card__description">{description}</p> : null}
          </div>
          {actions ? <div className="card__actions">{actions}</div> : null}
        </header>
      ) : null}
      <div className="card__body">{children}</div>
    </section>
  );
}
