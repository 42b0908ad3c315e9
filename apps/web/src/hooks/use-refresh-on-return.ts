import { useEffect, useRef } from 'react';

/** At most one refresh per this interval: coming back often fires both `visibilitychange` and `focus`. */
const MIN_INTERVAL_MS = 2000;

/** Calls `refresh` when the reader comes back to the page: the tab is shown again or the window refocused. */
export function useRefreshOnReturn(refresh: () => void): void {
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;

  useEffect(() => {
    let last = Date.now();
    const onReturn = () => {
      if (document.visibilityState !== 'visible') return;
      const now = Date.now();
      if (now - last < MIN_INTERVAL_MS) return;
      last = now;
      refreshRef.current();
    };
    document.addEventListener('visibilitychange', onReturn);
    window.addEventListener('focus', onReturn);
    return () => {
      document.removeEventListener('visibilitychange', onReturn);
      window.removeEventListener('focus', onReturn);
    };
  }, []);
}
