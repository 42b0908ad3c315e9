// Hash routes: "#/conversations/abc/def?x=1" -> path segments and query. The server serves one
// index.html at `/`, so the route lives in the hash and links survive a reload.

export interface Route {
  /** "/conversations/abc/def" */
  path: string;
  /** ["conversations", "abc", "def"] */
  segments: string[];
  query: URLSearchParams;
}

/** Reads a `location.hash` value; an empty one is the home route "/". */
export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const queryStart = raw.indexOf('?');
  const pathPart = queryStart === -1 ? raw : raw.slice(0, queryStart);
  const queryPart = queryStart === -1 ? '' : raw.slice(queryStart + 1);
  const segments = pathPart
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
  return { path: `/${segments.join('/')}`, segments, query: new URLSearchParams(queryPart) };
}

/** Builds a hash link: href('/playground', {chatbot: 'x'}) -> "#/playground?chatbot=x". */
export function href(path: string, query: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const search = params.toString();
  const cleanPath = path.startsWith('/') ? path : `/${path}`;
  return `#${cleanPath}${search ? `?${search}` : ''}`;
}
