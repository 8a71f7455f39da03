// `npm run worker` processes (scripts/worker.ts under tsx), each in its own
// process group so kill -9 takes exactly that worker down.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './build';

export type WorkerProcess = {
  name: string;
  pid: number;
  kill9(): Promise<void>;
  stop(): Promise<void>;
  logs(): Promise<string>;
  exited(): boolean;
};

const live = new Set<number>();
process.on('exit', () => {
  for (const pid of live) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts a worker and resolves once it says it is running. */
export async function startWorker(name: string, env: Record<string, string>): Promise<WorkerProcess> {
  const logFile = path.join(await mkdtemp(path.join(tmpdir(), `worker-${name}-`)), 'worker.log');
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
  });
  closeSync(fd);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start worker ${name}`);
  live.add(pid);
  child.once('exit', () => live.delete(pid));
  const logs = () => readFile(logFile, 'utf8').catch(() => '');
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const worker: WorkerProcess = {
    name,
    pid,
    logs,
    exited,
    async kill9() {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await waitExit(child);
    },
    async stop() {
      if (exited()) return;
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
      }, 10_000);
      await waitExit(child);
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`worker ${name} exited while starting:\n${await logs()}`);
    if ((await logs()).includes('outbox.worker_started')) return worker;
    await new Promise((r) => setTimeout(r, 100));
  }
  await worker.kill9();
  throw new Error(`worker ${name} did not start:\n${await logs()}`);
}
