import { allowedOriginSchema, MAX_ALLOWED_ORIGINS } from '@pollybot/contracts';

// The Deploy page's "allowed origins" box: one site per line, read into the origins a publishable key is
// bound to, with a sentence for each line that is not an origin.

/** A line of the box that is not an origin: its number (from 1), its text and why. */
interface OriginLineError {
  line: number;
  text: string;
  message: string;
}

interface ParsedOrigins {
  /** The origins as the server stores them (`new URL(line).origin`), each once, in the order written. */
  origins: string[];
  errors: OriginLineError[];
  /** Set when there are more origins than a key may hold. */
  tooMany?: string;
}

/** Whether an address written without a scheme names this computer (served over plain http in development). */
function isLoopback(address: string): boolean {
  const host = address.toLowerCase().match(/^(\[[^\]]*\]|[^:/?#]*)/)?.[1];
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

/** Why one trimmed, non-empty line is not an origin, or its origin. */
function readOrigin(text: string): { origin: string } | { message: string } {
  if (text.includes('*')) return { message: 'Wildcards are not accepted: list each site on its own line.' };
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    const rest = text.replace(/^\/+/, '');
    return { message: `Add the scheme: ${isLoopback(rest) ? 'http' : 'https'}://${rest}` };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { message: 'Not an address: write a site as https://www.example.com.' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { message: 'Only http:// and https:// sites can embed the widget.' };
  }
  if (url.username || url.password) return { message: 'Leave out the user name and password.' };
  if (url.pathname !== '/' || url.search || url.hash || /[?#]/.test(text)) {
    return { message: `Leave out the path: ${url.origin}` };
  }
  if (!allowedOriginSchema.safeParse(url.origin).success) {
    return { message: 'Not an origin: write a site as https://www.example.com.' };
  }
  return { origin: url.origin };
}

/** Reads the box: blank lines are skipped, a site listed twice counts once. */
export function parseOrigins(text: string): ParsedOrigins {
  const origins: string[] = [];
  const errors: OriginLineError[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const result = readOrigin(line);
    if ('message' in result) errors.push({ line: index + 1, text: line, message: result.message });
    else if (!origins.includes(result.origin)) origins.push(result.origin);
  }
  const parsed: ParsedOrigins = { origins, errors };
  if (origins.length > MAX_ALLOWED_ORIGINS) {
    parsed.tooMany = `A key takes at most ${MAX_ALLOWED_ORIGINS} sites; you listed ${origins.length}. Make another key for the rest.`;
  }
  return parsed;
}

/** The box's errors as one sentence per line, for the field's error text; undefined when there are none. */
export function describeOriginErrors(parsed: ParsedOrigins): string | undefined {
  const sentences = parsed.errors.map((error) => `Line ${error.line} (${error.text}): ${error.message}`);
  if (parsed.tooMany) sentences.push(parsed.tooMany);
  return sentences.length > 0 ? sentences.join('\n') : undefined;
}

/** The origins of a key as the box shows them, one per line. */
export function formatOrigins(origins: readonly string[]): string {
  return origins.join('\n');
}
