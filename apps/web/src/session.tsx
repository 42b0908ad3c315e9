import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { logOut } from './api/auth.ts';
import { setCsrfToken } from './api/client.ts';
import type { Role, Session } from './api/types.ts';
import { getWorkspace } from './api/workspace.ts';

export interface SessionContextValue {
  session: Session;
  /** Re-reads the workspace balance (after a reply, say). */
  refreshBalance: () => Promise<void>;
  /** Sets the balance from an answer that carried it. */
  setCredits: (credits: number) => void;
  signOut: () => Promise<void>;
  canManageMembers: boolean;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

/** Owners and admins manage members and invitations. */
function canManageMembers(role: Role): boolean {
  return role === 'owner' || role === 'admin';
}

/** Holds the signed-in person's session for the pages below it. */
export function SessionProvider({
  initial,
  onSignedOut,
  children,
}: {
  initial: Session;
  onSignedOut: () => void;
  children: ReactNode;
}) {
  const [session, setSession] = useState(initial);

  const setCredits = useCallback(
    (credits: number) =>
      setSession((current) => ({ ...current, workspace: { ...current.workspace, credits } })),
    [],
  );
  const refreshBalance = useCallback(async () => {
    try {
      const workspace = await getWorkspace();
      setCredits(workspace.credits);
    } catch {
      // The header keeps the last known balance; the page that needed it reports its own failure.
    }
  }, [setCredits]);
  const signOut = useCallback(async () => {
    try {
      await logOut();
    } finally {
      setCsrfToken(undefined);
      onSignedOut();
    }
  }, [onSignedOut]);

  const value = useMemo<SessionContextValue>(
    () => ({
      session,
      refreshBalance,
      setCredits,
      signOut,
      canManageMembers: canManageMembers(session.role),
    }),
    [session, refreshBalance, setCredits, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session of the signed-in person. */
export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}
