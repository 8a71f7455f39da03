// Runs the Next.js CLI as a child process of our scripts.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';

const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');

/**
 * `cwd`: the app's directory when it is not ours (a build snapshot of
 * tests/reliability/harness/build.ts). `stderrCopy`: a file that gets a copy
 * of what the server writes to stderr (the e2e server's, which a spec reads
 * for warnings); it still shows on ours too.
 */
export function spawnNext(args: string[], env: NodeJS.ProcessEnv, cwd?: string, stderrCopy?: string): ChildProcess {
  // The machine may have no network; telemetry would only try to phone home.
  const childEnv: NodeJS.ProcessEnv = { NEXT_TELEMETRY_DISABLED: '1', ...env };
  // FORCE_COLOR wins over NO_COLOR, and Node says so on stderr (a warning the
  // e2e console check counts): Playwright sets FORCE_COLOR for its web server,
  // so a shell's NO_COLOR=1 would fail that check.
  if (childEnv.FORCE_COLOR !== undefined) delete childEnv.NO_COLOR;
  const child = spawn(process.execPath, [nextBin, ...args], {
    cwd,
    stdio: stderrCopy ? ['inherit', 'inherit', 'pipe'] : 'inherit',
    env: childEnv,
  });
  if (stderrCopy && child.stderr) {
    const copy = createWriteStream(stderrCopy, { flags: 'w' });
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      copy.write(chunk);
    });
    child.once('exit', () => copy.end());
  }
  return child;
}

/** Resolves with the exit code (signals count as failure). */
export function exited(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(1);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

export async function runNext(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const code = await exited(spawnNext(args, env));
  if (code !== 0) throw new Error(`next ${args.join(' ')} exited with code ${code}`);
}

/** Asks the child to stop, and kills it if it has not within the grace period. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

/**
 * Runs cleanup once on the first SIGINT/SIGTERM. The same signal often comes
 * twice at once (Ctrl-C and Playwright signal the whole process group, and
 * tsx relays it to us again), so only a SIGINT a while later, a person
 * pressing Ctrl-C again, skips the cleanup and exits at once.
 */
export function onShutdown(cleanup: (signal: NodeJS.Signals) => Promise<void>): void {
  let firstAt = 0;
  const handler = (signal: NodeJS.Signals) => {
    if (firstAt) {
      if (signal === 'SIGINT' && Date.now() - firstAt > 2000) {
        console.error('Forced exit without cleanup.');
        process.exit(130);
      }
      return;
    }
    firstAt = Date.now();
    cleanup(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
