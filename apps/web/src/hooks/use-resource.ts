import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';

export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  isLoading: boolean;
  reload: () => void;
  setData: (update: (current: T | undefined) => T | undefined) => void;
}

/** Loads data when `deps` change; a newer load cancels the previous one. */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Resource<T> {
  const [data, setDataState] = useState<T>();
  const [error, setError] = useState<Error>();
  const [isLoading, setIsLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to reload
  useEffect(() => {
    const controller = new AbortController();
    setIsLoading(true);
    setError(undefined);
    loadRef.current(controller.signal).then(
      (result) => {
        if (controller.signal.aborted) return;
        setDataState(result);
        setIsLoading(false);
      },
      (cause: unknown) => {
        if (controller.signal.aborted) return;
        setError(cause instanceof Error ? cause : new Error(String(cause)));
        setIsLoading(false);
      },
    );
    return () => controller.abort();
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const setData = useCallback(
    (update: (current: T | undefined) => T | undefined) => setDataState(update),
    [],
  );
  return { data, error, isLoading, reload, setData };
}

export interface PagedList<T> {
  items: T[];
  nextCursor: string | null;
  error: Error | undefined;
  isLoading: boolean;
  isLoadingMore: boolean;
  loadMore: () => void;
  reload: () => void;
  setItems: (update: (items: T[]) => T[]) => void;
}

/** A cursor-paged list: the first page when `deps` change, then "Load more" appends the next. */
export function usePagedList<T>(
  loadPage: (
    cursor: string | undefined,
    signal: AbortSignal,
  ) => Promise<{ items: T[]; nextCursor: string | null }>,
  deps: DependencyList,
): PagedList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<Error>();
  const [isLoading, setIsLoading] = useState(true);
  const [isLoadingMore, setIsLoadingMore] = useState(false);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(loadPage);
  loadRef.current = loadPage;
  const controllerRef = useRef<AbortController | undefined>(undefined);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to reload
  useEffect(() => {
    const controller = new AbortController();
    controllerRef.current = controller;
    setIsLoading(true);
    setIsLoadingMore(false);
    setError(undefined);
    loadRef.current(undefined, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setItems(page.items);
        setNextCursor(page.nextCursor);
        setIsLoading(false);
      },
      (cause: unknown) => {
        if (controller.signal.aborted) return;
        setItems([]);
        setNextCursor(null);
        setError(cause instanceof Error ? cause : new Error(String(cause)));
        setIsLoading(false);
      },
    );
    return () => controller.abort();
  }, [...deps, generation]);

  const loadMore = useCallback(() => {
    const controller = controllerRef.current;
    if (!nextCursor || !controller || isLoadingMore) return;
    setIsLoadingMore(true);
    loadRef.current(nextCursor, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setItems((current) => [...current, ...page.items]);
        setNextCursor(page.nextCursor);
        setIsLoadingMore(false);
      },
      (cause: unknown) => {
        if (controller.signal.aborted) return;
        setError(cause instanceof Error ? cause : new Error(String(cause)));
        setIsLoadingMore(false);
      },
    );
  }, [nextCursor, isLoadingMore]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { items, nextCursor, error, isLoading, isLoadingMore, loadMore, reload, setItems };
}
