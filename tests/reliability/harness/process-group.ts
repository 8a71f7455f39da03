// A child process in its own process group, its output in a temp file: kill -9
// takes exactly that group down (the app instances of instances.ts, the mail
// workers of workers.ts), and none outlives the test runner.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type GroupProcess = {
  pid: number;
  /** kill -9 of the process group; resolves once it is gone. */
  kill9(): Promise<void>;
  /** SIGTERM, then SIGKILL after the grace period. */
  stop(): Promise<void>;
  logs(): Promise<string>;
  exited(): boolean;
};

const live = new Set<number>();
let cleanupInstalled = false;

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  // Never leave a process behind if the runner dies: only the groups we spawned.
  process.on('exit', () => {
    for (const pid of live) signalGroup(pid, 'SIGKILL');
  });
}

/** False when the group is already gone. */
function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function spawnGroup(
  name: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; graceMs: number },
): Promise<GroupProcess> {
  installCleanup();
  const logFile = path.join(await mkdtemp(path.join(tmpdir(), `${name}-`)), 'output.log');
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, args, { cwd: options.cwd, detached: true, stdio: ['ignore', fd, fd], env: options.env });
  closeSync(fd);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${name}`);
  live.add(pid);
  child.once('exit', () => live.delete(pid));
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    pid,
    exited,
    logs: () => readFile(logFile, 'utf8').catch(() => ''),
    async kill9() {
      signalGroup(pid, 'SIGKILL');
      await waitExit(child);
    },
    async stop() {
      if (exited() || !signalGroup(pid, 'SIGTERM')) return;
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), options.graceMs);
      await waitExit(child);
      clearTimeout(timer);
    },
  };
}
