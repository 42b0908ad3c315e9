import { useCallback, useEffect, useRef, useState } from 'react';
import { getAuthState, getSession } from './api/auth.ts';
import { ApiError, onUnauthenticated, setCsrfToken } from './api/client.ts';
import type { Session } from './api/types.ts';
import { LinkButton } from './components/button.tsx';
import { EmptyState, ErrorState, Skeleton } from './components/feedback.tsx';
import { Logo } from './components/icons.tsx';
import { Shell } from './components/layout.tsx';
import { useToast } from './components/toast.tsx';
import { navigate, useRoute } from './hooks/use-route.ts';
import type { Route } from './lib/route.ts';
import { AcceptInvitationPage } from './pages/accept-invitation-page.tsx';
import { ApiKeysPage } from './pages/api-keys-page.tsx';
import { AuthPage } from './pages/auth-page.tsx';
import { ChatbotFormPage } from './pages/chatbot-form-page.tsx';
import { ChatbotsPage } from './pages/chatbots-page.tsx';
import { ConversationPage } from './pages/conversation-page.tsx';
import { ConversationsPage } from './pages/conversations-page.tsx';
import { DeployPage } from './pages/deploy-page.tsx';
import { GettingStartedPage } from './pages/getting-started-page.tsx';
import { KnowledgePage } from './pages/knowledge-page.tsx';
import { MembersPage } from './pages/members-page.tsx';
import { PlaygroundPage } from './pages/playground-page.tsx';
import { UsagePage } from './pages/usage-page.tsx';
import { SessionProvider } from './session.tsx';

type Boot =
  | { kind: 'loading' }
  | { kind: 'signed-out'; needsSetup: boolean }
  | { kind: 'signed-in'; session: Session }
  | { kind: 'unreachable'; error: Error };

/** Who is here: the session from the cookie, else whether the first account still has to be made. */
async function loadBoot(): Promise<Boot> {
  try {
    const session = await getSession();
    return { kind: 'signed-in', session };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
  }
  const state = await getAuthState();
  return { kind: 'signed-out', needsSetup: state.needsSetup };
}

/** The dashboard: decides between the signed-out pages and the signed-in frame, then routes. */
export function App() {
  const route = useRoute();
  const toast = useToast();
  const [boot, setBoot] = useState<Boot>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the retry trigger
  useEffect(() => {
    let isCurrent = true;
    loadBoot().then(
      (result) => {
        if (!isCurrent) return;
        if (result.kind === 'signed-in') setCsrfToken(result.session.csrfToken);
        setBoot(result);
      },
      (error: unknown) => {
        if (isCurrent)
          setBoot({ kind: 'unreachable', error: error instanceof Error ? error : new Error(String(error)) });
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [attempt]);

  const bootRef = useRef(boot);
  bootRef.current = boot;
  useEffect(
    () =>
      onUnauthenticated(() => {
        // Only a signed-in dashboard is affected; while booting, a 401 is the expected answer.
        if (bootRef.current.kind !== 'signed-in') return;
        setCsrfToken(undefined);
        toast.clear();
        toast.info('Your session ended', 'Sign in again to continue.');
        setBoot({ kind: 'signed-out', needsSetup: false });
      }),
    [toast],
  );

  const signIn = useCallback(
    (session: Session) => {
      // Notices of the signed-out pages ("Your session ended") are over once signed in.
      toast.clear();
      setCsrfToken(session.csrfToken);
      setBoot({ kind: 'signed-in', session });
      const target = window.location.hash;
      if (!target || target === '#/' || target.startsWith('#/accept'))
        navigate('/chatbots', { replace: true });
    },
    [toast],
  );
  const signOut = useCallback(() => {
    // Nothing of the session that ended ("API key revoked", …) follows onto the sign-in page.
    toast.clear();
    setBoot({ kind: 'signed-out', needsSetup: false });
    navigate('/', { replace: true });
  }, [toast]);

  if (route.path === '/accept') {
    return (
      <AcceptInvitationPage
        key={route.query.get('token') ?? ''}
        token={route.query.get('token')}
        signedInAs={boot.kind === 'signed-in' ? boot.session.user.email : undefined}
        onAccepted={signIn}
      />
    );
  }
  if (boot.kind === 'loading') return <BootSplash />;
  if (boot.kind === 'unreachable') {
    return (
      <div className="boot">
        <Logo size={40} />
        <ErrorState
          title="PollyBot is not answering"
          error={boot.error}
          onRetry={() => setAttempt((n) => n + 1)}
        />
      </div>
    );
  }
  if (boot.kind === 'signed-out') return <AuthPage needsSetup={boot.needsSetup} onSignedIn={signIn} />;

  return (
    <SessionProvider key={boot.session.user.id} initial={boot.session} onSignedOut={signOut}>
      <Shell activePath={route.path}>
        <RoutedPage route={route} />
      </Shell>
    </SessionProvider>
  );
}

function BootSplash() {
  return (
    <div className="boot" role="status" aria-busy="true" aria-label="Loading PollyBot">
      <Logo size={40} />
      <Skeleton width={160} height={12} />
    </div>
  );
}

function RoutedPage({ route }: { route: Route }) {
  const [section, first, second] = route.segments;
  useEffect(() => {
    if (!section) navigate('/chatbots', { replace: true });
  }, [section]);

  switch (section) {
    case undefined:
      return null;
    case 'chatbots':
      if (first === 'new') return <ChatbotFormPage />;
      if (first && second === 'knowledge') return <KnowledgePage key={first} chatbotId={first} />;
      if (first && second === 'deploy') return <DeployPage key={first} chatbotId={first} />;
      if (first) return <ChatbotFormPage key={first} chatbotId={first} />;
      return <ChatbotsPage />;
    case 'playground':
      return (
        <PlaygroundPage
          chatbotId={route.query.get('chatbot') ?? undefined}
          conversationId={route.query.get('conversation') ?? undefined}
        />
      );
    case 'conversations':
      if (first && second) return <ConversationPage key={second} chatbotId={first} conversationId={second} />;
      return <ConversationsPage initialChatbotId={route.query.get('chatbot') ?? undefined} />;
    case 'api-keys':
      return <ApiKeysPage />;
    case 'usage':
      return <UsagePage />;
    case 'members':
      return <MembersPage />;
    case 'getting-started':
      return <GettingStartedPage chatbotId={route.query.get('chatbot') ?? undefined} />;
    default:
      return (
        <EmptyState
          icon="search"
          title="This page does not exist"
          action={
            <LinkButton href="#/chatbots" variant="primary">
              Go to chatbots
            </LinkButton>
          }
        >
          The link may be old or mistyped.
        </EmptyState>
      );
  }
}
