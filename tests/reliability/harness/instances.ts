// `next start` processes on loopback, each in its own process group so that
// kill -9 takes the whole instance down at once, and only what we started.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findFreePort } from '../../../lib/db/embedded';
import { NEXT_BIN } from './build';

export type AppInstance = {
  name: string;
  port: number;
  url: string;
  pid: number;
  /** kill -9 of the instance's process group; resolves once it is gone. */
  kill9(): Promise<void>;
  /** SIGTERM, then SIGKILL after a grace period. */
  stop(): Promise<void>;
  logs(): Promise<string>;
  exited(): boolean;
};

const live = new Set<number>();
let cleanupInstalled = false;

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  // Never leave an instance behind if the runner dies: only the groups we spawned.
  process.on('exit', () => {
    for (const pid of live) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

let nextPort = 3500;

/** A free port in our range 3500-3599. */
export async function freeAppPort(): Promise<number> {
  const port = await findFreePort(nextPort, '127.0.0.1', 3600 - nextPort);
  nextPort = port + 1 >= 3600 ? 3500 : port + 1;
  return port;
}

export async function startInstance(
  appDir: string,
  options: { name: string; env: Record<string, string>; port?: number; readyTimeoutMs?: number; nodeArgs?: string[] },
): Promise<AppInstance> {
  installCleanup();
  const port = options.port ?? (await freeAppPort());
  const logDir = await mkdtemp(path.join(tmpdir(), `app-${options.name}-`));
  const logFile = path.join(logDir, 'server.log');
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: appDir,
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...options.env },
  });
  closeSync(fd);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start instance ${options.name}`);
  live.add(pid);
  child.once('exit', () => live.delete(pid));
  const url = `http://127.0.0.1:${port}`;
  const logs = () => readFile(logFile, 'utf8').catch(() => '');

  const instance: AppInstance = {
    name: options.name,
    port,
    url,
    pid,
    logs,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    async kill9() {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await waitExit(child);
    },
    async stop() {
      if (instance.exited()) return;
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }, 5000);
      await waitExit(child);
      clearTimeout(timer);
    },
  };

  // Ready when the API answers at all (401 from /api/me without a session).
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (instance.exited()) throw new Error(`instance ${options.name} exited while starting:\n${await logs()}`);
    try {
      const res = await fetch(`${url}/api/me`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      return instance;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await instance.kill9();
  throw new Error(`instance ${options.name} not ready on ${url}:\n${await logs()}`);
}
