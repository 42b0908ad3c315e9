import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

// Every process the bench starts: each in its own process group (so stopping it stops whatever it started),
// all killed when the bench ends, fails or is interrupted, so none outlives it.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const STOP_TIMEOUT_MS = 5_000;

export type BenchProcess = {
  name: string;
  pid: number;
  /** The first capture group of the line the process printed when it was ready (its address). */
  address: string;
  stop: () => Promise<void>;
};

const running = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {}
}

/** Kills every process still running, at once (used on exit, error and Ctrl-C). */
function killAll(): void {
  for (const child of running) killGroup(child, 'SIGKILL');
  running.clear();
}

process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

/**
 * Starts `node --import tsx <script> ...args` from the repository root with only `env` (plus PATH, HOME and
 * TMPDIR), and resolves once stdout matches `ready` (whose first group is the address).
 */
export async function startProcess(options: {
  name: string;
  script: string;
  args?: string[];
  /** Node's own flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  env?: Record<string, string>;
  ready: RegExp;
  timeoutMs?: number;
}): Promise<BenchProcess> {
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', options.script, ...(options.args ?? [])],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? tmpdir(),
        TMPDIR: tmpdir(),
        ...options.env,
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  void exited.then(() => running.delete(child));
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    // Kept short: a server logging every failure under load must not fill the bench's memory.
    if (stderr.length < 20_000) stderr += chunk;
  });
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`${options.name} printed no ${options.ready} within ${options.timeoutMs ?? 30_000} ms`),
      options.timeoutMs ?? 30_000,
    );
    function fail(message: string) {
      clearTimeout(timer);
      killGroup(child, 'SIGKILL');
      reject(new Error(`${message}\n${stdout}\n${stderr}`));
    }
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < 20_000) stdout += chunk;
      const match = stdout.match(options.ready);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] ?? '');
      }
    });
    child.once('close', () => fail(`${options.name} exited before it was ready`));
  });
  // Its output is still read (a full pipe would block it), and echoed when it fails.
  child.once('close', (code, signal) => {
    if (running.has(child) && code !== 0 && signal === null) {
      process.stderr.write(`${options.name} exited with ${code}:\n${stderr.slice(-4_000)}\n`);
    }
  });
  return {
    name: options.name,
    pid: child.pid ?? 0,
    address,
    stop: async () => {
      running.delete(child);
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A process's resident memory in bytes (VmRSS of /proc/<pid>/status). */
export function readResidentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = Number(status.match(/^VmRSS:\s+(\d+)\s+kB/m)?.[1]);
  if (!Number.isFinite(kilobytes)) throw new Error(`no VmRSS for process ${pid}`);
  return kilobytes * 1024;
}

/** This process's limit on open files (soft, hard), as `ulimit -n` reports it; children inherit it. */
export function readOpenFileLimit(): { soft: number; hard: number } {
  const limits = readFileSync('/proc/self/limits', 'utf8');
  const match = limits.match(/^Max open files\s+(\S+)\s+(\S+)/m);
  const parse = (value: string | undefined) => (value === 'unlimited' ? Infinity : Number(value));
  return { soft: parse(match?.[1]), hard: parse(match?.[2]) };
}
