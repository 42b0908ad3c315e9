import { lookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, type Dispatcher, fetch } from 'undici';
import { WebImportError } from './web-import-error.ts';

/**
 * Why a host is refused, the same sentence whether its name does not resolve or resolves to an address an
 * import may not reach: a tenant must not learn which names exist on the server's own network.
 */
export const UNREACHABLE_HOST_REASON =
  'the host name could not be found, or it is not an address on the public internet';

/** Resolves a host name to all its addresses, as `dns.lookup` with `all: true` does. */
export type LookupAll = (
  hostname: string,
  options: { all: true; family?: number | 'IPv4' | 'IPv6' | undefined; hints?: number | undefined },
  callback: (error: NodeJS.ErrnoException | null, addresses: { address: string; family: number }[]) => void,
) => void;

const MAX_REDIRECTS = 5;

export type SafeFetchOptions = {
  accept: string;
  userAgent: string;
  /** Covers every hop of the redirect chain, headers and body. */
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
};

/** A successful (2xx) response, read whole; `url` is where the redirects ended. */
export type FetchedResource = { url: string; contentType: string | null; bytes: Uint8Array };

/**
 * An undici agent that refuses, at connect time, any host whose addresses are not all allowed. Checking
 * the addresses the socket is about to use (not a lookup done earlier) leaves DNS rebinding no gap.
 */
export function createSafeAgent(
  isAddressAllowed: (address: string) => boolean,
  lookupAll: LookupAll = lookup as LookupAll,
): Agent {
  const guardedLookup: LookupFunction = (hostname, options, callback) => {
    lookupAll(hostname, { all: true, family: options.family, hints: options.hints }, (error, addresses) => {
      // A name that does not resolve reads like one that resolves to a refused address.
      if (error?.code === 'ENOTFOUND' || error?.code === 'EAI_AGAIN' || error?.code === 'ENODATA') {
        return callback(new WebImportError(UNREACHABLE_HOST_REASON), '');
      }
      if (error) return callback(error, '');
      const first = addresses[0];
      if (!first || addresses.some((entry) => !isAddressAllowed(entry.address))) {
        return callback(new WebImportError(UNREACHABLE_HOST_REASON), '');
      }
      // Node asks for every address when it races IPv4 and IPv6 (autoSelectFamily), for one otherwise.
      if (options.all) return callback(null, addresses);
      callback(null, first.address, first.family);
    });
  };
  const connect = buildConnector({ lookup: guardedLookup });
  return new Agent({
    connect: (options, callback) => {
      // The socket skips the lookup for an IP literal, so it is judged here.
      if (isIP(options.hostname) && !isAddressAllowed(options.hostname)) {
        callback(new WebImportError(UNREACHABLE_HOST_REASON), null);
        return;
      }
      connect(options, callback);
    },
  });
}

/** Parses an address the user gave or a server redirected to, accepting only plain http(s) URLs. */
export function parseWebAddress(address: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(address, base);
  } catch {
    throw new WebImportError(`the address ${address.slice(0, 200)} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WebImportError(`only http and https addresses can be imported, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new WebImportError('the address must not contain a user name or password');
  }
  url.hash = '';
  return url;
}

/** GETs a URL through the agent, following at most 5 redirects itself so that every hop is checked. */
export async function safeFetch(
  agent: Dispatcher,
  address: string,
  options: SafeFetchOptions,
): Promise<FetchedResource> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let url = parseWebAddress(address);
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await fetch(url, {
        dispatcher: agent,
        redirect: 'manual',
        signal,
        headers: { accept: options.accept, 'user-agent': options.userAgent },
      });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && response.status !== 304) {
        await response.body?.cancel();
        if (!location) {
          throw new WebImportError(`the server answered ${response.status} without a new address`);
        }
        if (redirects === MAX_REDIRECTS) {
          throw new WebImportError(`the address redirects more than ${MAX_REDIRECTS} times`);
        }
        url = parseWebAddress(location, url);
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new WebImportError(`the server answered ${response.status}`);
      }
      const bytes = await readBody(response, options.maxBytes);
      return { url: url.href, contentType: response.headers.get('content-type'), bytes };
    }
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (error instanceof WebImportError) throw error;
    if (timeout.aborted) {
      throw new WebImportError(`the server did not answer within ${formatDuration(options.timeoutMs)}`);
    }
    throw describeFailure(error, url);
  }
}

type FetchResponse = Awaited<ReturnType<typeof fetch>>;

// The limit applies to the bytes after Content-Encoding is undone, so a compressed bomb is cut off too.
async function readBody(response: FetchResponse, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () => new WebImportError(`the response is larger than ${formatBytes(maxBytes)}`);
  if (Number(response.headers.get('content-length')) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge(); // leaving the loop cancels the stream
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/** Finds our own refusal inside undici's "fetch failed", or names the network failure without its internals. */
function describeFailure(error: unknown, url: URL): Error {
  let code: string | undefined;
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof WebImportError) return cause;
    // fetch refuses ports that other protocols use (25, 6000...), as browsers do.
    if (cause.message === 'bad port') {
      return new WebImportError(`the port ${url.port} cannot be used for web pages`);
    }
    code ??= (cause as NodeJS.ErrnoException).code;
  }
  if (!(error instanceof TypeError)) return error instanceof Error ? error : new Error(String(error));
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new WebImportError(UNREACHABLE_HOST_REASON);
    case 'ECONNREFUSED':
      return new WebImportError('the server refused the connection');
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return new WebImportError('the server closed the connection');
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new WebImportError('the server cannot be reached');
  }
  if (code && /CERT|SSL|TLS|SIGNATURE/.test(code)) {
    return new WebImportError(`the server's certificate is not valid (${code})`);
  }
  return new WebImportError(`the page could not be fetched${code ? ` (${code})` : ''}`);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return bytes === 1 ? '1 byte' : `${bytes} bytes`;
}

function formatDuration(milliseconds: number): string {
  return milliseconds >= 1000 ? `${Number((milliseconds / 1000).toFixed(1))} s` : `${milliseconds} ms`;
}
