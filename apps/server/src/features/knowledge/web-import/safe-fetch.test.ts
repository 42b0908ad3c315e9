import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isImportableAddress } from './is-blocked-address.ts';
import { createSafeAgent, type LookupAll, safeFetch, UNREACHABLE_HOST_REASON } from './safe-fetch.ts';
import { WebImportError } from './web-import-error.ts';

type ReceivedRequest = { path: string; localAddress: string; headers: IncomingHttpHeaders };

const received: ReceivedRequest[] = [];
let server: Server;
let port: number;

const options = {
  accept: 'text/html',
  userAgent: 'PollyBot/0.1 (+knowledge import)',
  timeoutMs: 5_000,
  maxBytes: 1024 * 1024,
};

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '/';
    received.push({ path, localAddress: request.socket.localAddress ?? '', headers: request.headers });
    if (path === '/to-other-loopback') {
      response.writeHead(302, { location: `http://127.0.0.2:${port}/other-loopback` }).end();
    } else if (path === '/sets-cookie') {
      response.writeHead(302, { location: 'landing', 'set-cookie': 'session=secret; Path=/' }).end();
    } else if (path === '/to-ftp') {
      response.writeHead(301, { location: 'ftp://files.example/a' }).end();
    } else if (path === '/bomb') {
      response.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
      response.end(gzipSync(Buffer.alloc(8 * 1024 * 1024, 'a')));
    } else {
      response.writeHead(200, { 'content-type': 'text/plain' }).end(`you asked for ${path}`);
    }
  });
  // Both families, so that 127.0.0.2 and [::1] would be answered if the agent let them through.
  await new Promise<void>((resolve) => server.listen(0, '::', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const pathsReceived = () => received.map((request) => request.path);

describe('safeFetch', () => {
  it('checks every redirect hop: an allowed address that redirects to a refused one is refused', async () => {
    const agent = createSafeAgent((address) => address === '127.0.0.1' || address === '::ffff:127.0.0.1');

    const fetching = safeFetch(agent, `http://127.0.0.1:${port}/to-other-loopback`, options);

    await expect(fetching).rejects.toThrow(new WebImportError(UNREACHABLE_HOST_REASON));
    expect(pathsReceived()).toContain('/to-other-loopback');
    expect(pathsReceived()).not.toContain('/other-loopback');
    await agent.destroy();
  });

  it('refuses a host name when one of its addresses is refused, before sending anything', async () => {
    const agent = createSafeAgent(() => false);

    await expect(safeFetch(agent, `http://localhost:${port}/by-name`, options)).rejects.toThrow(
      UNREACHABLE_HOST_REASON,
    );
    expect(pathsReceived()).not.toContain('/by-name');
    await agent.destroy();
  });

  it('sends Accept and User-Agent, follows a relative redirect and keeps no cookie', async () => {
    const agent = createSafeAgent(() => true);

    const resource = await safeFetch(agent, `http://127.0.0.1:${port}/sets-cookie#top`, options);

    expect(resource.url).toBe(`http://127.0.0.1:${port}/landing`);
    expect(new TextDecoder().decode(resource.bytes)).toBe('you asked for /landing');
    const landing = received.find((request) => request.path === '/landing');
    expect(landing?.headers.accept).toBe('text/html');
    expect(landing?.headers['user-agent']).toBe('PollyBot/0.1 (+knowledge import)');
    expect(landing?.headers.cookie).toBeUndefined();
    await agent.destroy();
  });

  it('refuses a redirect to a scheme other than http and https', async () => {
    const agent = createSafeAgent(() => true);

    await expect(safeFetch(agent, `http://127.0.0.1:${port}/to-ftp`, options)).rejects.toThrow(
      'only http and https addresses can be imported, not ftp:',
    );
    await agent.destroy();
  });

  it('applies the size limit to the decompressed body', async () => {
    const agent = createSafeAgent(() => true);

    await expect(safeFetch(agent, `http://127.0.0.1:${port}/bomb`, options)).rejects.toThrow(
      'the response is larger than 1 MB',
    );
    await agent.destroy();
  });

  it('refuses addresses with a user name or password, and ones that are not URLs', async () => {
    const agent = createSafeAgent(() => true);

    await expect(safeFetch(agent, `http://user:pass@127.0.0.1:${port}/`, options)).rejects.toThrow(
      'the address must not contain a user name or password',
    );
    await expect(safeFetch(agent, 'shop.example/about', options)).rejects.toThrow(
      'the address shop.example/about is not a valid URL',
    );
    await agent.destroy();
  });
});

/**
 * A resolver that knows a few names under the reserved .test TLD and nothing else: no test asks a real DNS
 * server. Every name it knows points at loopback or at an address an import must refuse.
 */
function fakeResolver(answers: Record<string, string[]>): LookupAll & { asked: string[] } {
  const asked: string[] = [];
  const lookupAll: LookupAll = (hostname, _options, callback) => {
    asked.push(hostname);
    const addresses = answers[hostname];
    if (!addresses) {
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      queueMicrotask(() => callback(error, []));
      return;
    }
    const entries = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    queueMicrotask(() => callback(null, entries));
  };
  return Object.assign(lookupAll, { asked });
}

describe('safeFetch with host names', () => {
  it('gives the same reason for a name that does not resolve and one that resolves to a refused address', async () => {
    const resolver = fakeResolver({
      'intranet-db.test': ['10.0.0.5'],
      'metadata.test': ['169.254.169.254'],
      'mixed.test': ['8.8.8.8', '192.168.1.1'],
    });
    const agent = createSafeAgent((address) => isImportableAddress(address, false), resolver);

    const reasons: string[] = [];
    for (const host of ['no-such-host.test', 'intranet-db.test', 'metadata.test', 'mixed.test']) {
      const failure = await safeFetch(agent, `http://${host}:${port}/by-name`, options).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure, host).toBeInstanceOf(WebImportError);
      reasons.push((failure as Error).message);
    }

    expect(new Set(reasons)).toEqual(new Set([UNREACHABLE_HOST_REASON]));
    expect(resolver.asked).toEqual(['no-such-host.test', 'intranet-db.test', 'metadata.test', 'mixed.test']);
    expect(pathsReceived()).not.toContain('/by-name');
    await agent.destroy();
  });

  it('with private networks allowed, reaches a loopback name but never a link-local or metadata one', async () => {
    const resolver = fakeResolver({
      'intranet.test': ['127.0.0.1'],
      'metadata.test': ['169.254.169.254'],
      'mapped-metadata.test': ['::ffff:169.254.169.254'],
      'link-local.test': ['fe80::1'],
      'aws-metadata-v6.test': ['fd00:ec2::254'],
    });
    const agent = createSafeAgent((address) => isImportableAddress(address, true), resolver);

    const resource = await safeFetch(agent, `http://intranet.test:${port}/intranet`, options);
    expect(new TextDecoder().decode(resource.bytes)).toBe('you asked for /intranet');
    for (const host of ['metadata.test', 'mapped-metadata.test', 'link-local.test', 'aws-metadata-v6.test']) {
      await expect(safeFetch(agent, `http://${host}:${port}/metadata`, options), host).rejects.toThrow(
        new WebImportError(UNREACHABLE_HOST_REASON),
      );
    }
    for (const literal of ['169.254.169.254', '[::ffff:169.254.169.254]', '[fe80::1]']) {
      await expect(safeFetch(agent, `http://${literal}:${port}/metadata`, options), literal).rejects.toThrow(
        new WebImportError(UNREACHABLE_HOST_REASON),
      );
    }
    expect(pathsReceived()).not.toContain('/metadata');
    await agent.destroy();
  });
});
