import { type ChildProcess, spawn } from 'node:child_process';
import { type Agent, Agent as HttpAgent, request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The server as a user starts it: the real entry point in its own process, configured only by environment.
// It runs the command behind `npm start` (`node --import tsx apps/server/src/main.ts`) directly: through npm,
// a signal sent to npm does not reach the server (the `sh -c` in between dies and leaves the server
// running), so neither a drain nor a crash could be tested.

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const MAIN = join('apps', 'server', 'src', 'main.ts');
export const START_TIMEOUT_MS = 20_000;
export const EXIT_TIMEOUT_MS = 15_000;

export type ProcessExit = { code: number | null; signal: NodeJS.Signals | null };

export type ServerProcess = {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first match of `pattern` in stdout; rejects if the process ends or time runs out. */
  waitForStdout: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
  /** True until the process has exited and its output is fully read. */
  isRunning: () => boolean;
  /** Resolves when the process has exited and its output is fully read. */
  exited: Promise<ProcessExit>;
  /** Resolves with the exit, failing the test if it does not come in time. */
  waitForExit: (timeoutMs?: number) => Promise<ProcessExit>;
  /** Sends a signal to the server's whole process group (SIGKILL leaves nothing behind). */
  signal: (signal: NodeJS.Signals) => void;
};

const started: ServerProcess[] = [];

/** Starts the server from the repository root with only the given environment (plus PATH, HOME, TMPDIR). */
export function startServer(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      TMPDIR: tmpdir(),
      PORT: '0',
      HOST: '127.0.0.1',
      // No balancer watches these servers: a stop signal closes the listener at once unless a test says otherwise.
      SHUTDOWN_READINESS_DELAY_MS: '0',
      ...env,
    },
    // Its own process group, so cleanup can stop it and anything it started, whatever happens.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  let hasExited = false;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.on('close', (code, signal) => {
      hasExited = true;
      for (const listener of listeners) listener();
      resolve({ code, signal });
    });
  });

  const server: ServerProcess = {
    child,
    isRunning: () => !hasExited,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForStdout: (pattern, timeoutMs = START_TIMEOUT_MS) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no ${pattern} in stdout within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
        }, timeoutMs);
        function check() {
          const match = stdout.match(pattern);
          if (!match && !hasExited) return;
          clearTimeout(timer);
          listeners.delete(check);
          if (match) resolve(match);
          else reject(new Error(`the server exited before printing ${pattern}:\n${stdout}\n${stderr}`));
        }
        listeners.add(check);
        check();
      }),
    waitForExit: (timeoutMs = EXIT_TIMEOUT_MS) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms`)), timeoutMs);
        void exited.then((result) => {
          clearTimeout(timer);
          resolve(result);
        });
      }),
    signal: (signal) => {
      if (hasExited || !child.pid) return;
      try {
        process.kill(-child.pid, signal);
      } catch {}
    },
  };
  started.push(server);
  return server;
}

/** The base URL the server printed once it was listening. */
export async function waitForBaseUrl(server: ServerProcess): Promise<string> {
  const match = await server.waitForStdout(/PollyBot is running at (http:\/\/[^\s]+)/);
  return match[1] as string;
}

/** Asks the server to stop (SIGTERM) and waits for it to exit. */
export async function stopServer(server: ServerProcess): Promise<ProcessExit> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
  return server.waitForExit();
}

/** For afterAll: kills every server this test file started that is still running, and waits for each. */
export async function killStartedServers(): Promise<void> {
  for (const server of started) {
    if (!server.isRunning()) continue;
    server.signal('SIGKILL');
    await server.exited;
  }
}

/** Opens a fresh TCP connection: 'accepted' or the connection error's code. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

/**
 * A request on a connection of its own, closed after the response (as a balancer's probe opens one each
 * time): the status and parsed body, or the connection error's code (ECONNREFUSED once the listener closed).
 */
export function requestOnFreshConnection(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: unknown },
): Promise<{ status: number; body: unknown } | { error: string }> {
  return new Promise((resolve) => {
    const agent = new HttpAgent({ keepAlive: false });
    const { method = 'GET', path, headers = {}, body } = options;
    const request = httpRequest({ port, host: '127.0.0.1', method, path, headers, agent }, (response) => {
      let raw = '';
      response.setEncoding('utf8').on('data', (chunk: string) => {
        raw += chunk;
      });
      response.once('end', () => {
        agent.destroy();
        let parsed: unknown = raw;
        try {
          parsed = JSON.parse(raw);
        } catch {}
        resolve({ status: response.statusCode ?? 0, body: parsed });
      });
    });
    request.once('error', (error: NodeJS.ErrnoException) => {
      agent.destroy();
      resolve({ error: error.code ?? 'error' });
    });
    request.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Polls until the port refuses new connections (the server closed its listener); bounded. */
export async function waitUntilRefused(port: number, attempts = 250): Promise<string> {
  let outcome = '';
  for (let attempt = 0; attempt < attempts && outcome !== 'ECONNREFUSED'; attempt++) {
    outcome = await tryConnect(port);
    if (outcome !== 'ECONNREFUSED') await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return outcome;
}

export type OpenStream = {
  status: number | undefined;
  contentType: string | undefined;
  text: () => string;
  waitForText: (fragment: string) => Promise<void>;
  ended: Promise<void>;
};

/** A POST whose response body is read as it arrives, over the given agent (a keep-alive client). */
export function openStream(
  agent: Agent,
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers, agent }, (response) => {
      let text = '';
      const waiters = new Set<() => void>();
      response.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
        for (const waiter of waiters) waiter();
      });
      const ended = new Promise<void>((resolveEnd, rejectEnd) => {
        response.once('end', resolveEnd);
        response.once('error', rejectEnd);
      });
      resolve({
        status: response.statusCode,
        contentType: response.headers['content-type'],
        text: () => text,
        waitForText: (fragment) =>
          new Promise<void>((resolveText, rejectText) => {
            const check = () => {
              if (!text.includes(fragment)) return;
              waiters.delete(check);
              resolveText();
            };
            waiters.add(check);
            ended.then(
              () => rejectText(new Error(`the stream ended without ${fragment}:\n${text}`)),
              rejectText,
            );
            check();
          }),
        ended,
      });
    });
    request.once('error', reject);
    request.end(JSON.stringify(body));
  });
}

/**
 * An HTTP GET sent in two steps over one connection, as a load balancer's probe connection would be:
 * `begin()` connects and sends the request line (the server sees a request under way, so closing idle
 * connections on shutdown leaves it open); `complete()` sends the rest and answers the response.
 */
export function splitGet(port: number, path: string) {
  let socket: Socket | undefined;
  return {
    begin: () =>
      new Promise<void>((resolve, reject) => {
        socket = connect({ port, host: '127.0.0.1' });
        socket.once('error', reject);
        socket.once('connect', () => {
          socket?.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`, () => {
            // The partial request was in the server's receive buffer before this second connection was
            // opened; once the server has accepted, read and answered the second, it has read the first.
            const check = httpRequest(
              { port, host: '127.0.0.1', path: '/healthz', agent: false },
              (response) => {
                response.resume();
                response.once('end', () => resolve());
              },
            );
            check.once('error', reject);
            check.end();
          });
        });
      }),
    complete: () =>
      new Promise<{ status: number; body: unknown }>((resolve, reject) => {
        const open = socket;
        if (!open) throw new Error('begin() first');
        let raw = '';
        open.setEncoding('utf8');
        open.on('data', (chunk: string) => {
          raw += chunk;
        });
        open.once('error', reject);
        open.once('close', () => {
          const [head = '', body = ''] = raw.split('\r\n\r\n');
          const status = Number(head.match(/^HTTP\/1\.1 (\d{3})/)?.[1]);
          let parsed: unknown = body;
          try {
            parsed = JSON.parse(body);
          } catch {}
          resolve({ status, body: parsed });
        });
        open.write('Connection: close\r\n\r\n');
      }),
    destroy: () => socket?.destroy(),
  };
}
