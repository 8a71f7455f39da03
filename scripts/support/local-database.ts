// Which database a command-line tool talks to, and the embedded one's lock.
// DATABASE_URL wins; without it the tools use the embedded PGlite in
// .data/pglite: through the running `npm run dev` server when there is one
// (its lock file says where), else by starting it briefly themselves. PGlite
// must never be opened by two processes at once, hence the lock.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { config } from '../../lib/config';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../lib/db/embedded';

export const DEV_DATA_DIR = path.resolve(config().EMBEDDED_DB_DIR ?? '.data/pglite');
const OPERATOR_PORT = 54400;

type LockInfo = { pid: number; url: string };

const lockFile = (dataDir: string) => `${dataDir}.lock`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The embedded server another process holds on dataDir, if any (stale locks are ignored). */
async function runningEmbedded(dataDir: string): Promise<LockInfo | null> {
  let text: string;
  try {
    text = await readFile(lockFile(dataDir), 'utf8');
  } catch {
    return null;
  }
  try {
    const info = JSON.parse(text) as Partial<LockInfo>;
    if (typeof info.pid === 'number' && typeof info.url === 'string' && info.pid !== process.pid && alive(info.pid)) {
      return { pid: info.pid, url: info.url };
    }
  } catch {
    // A torn or foreign file: treat as stale.
  }
  return null;
}

/** Starts the embedded server on dataDir and records it in the lock file; stop() releases both. */
export async function startLockedEmbedded(dataDir: string, port: number): Promise<EmbeddedPostgres> {
  const holder = await runningEmbedded(dataDir);
  if (holder) {
    throw new Error(`the embedded database in ${dataDir} is already open by process ${holder.pid} (${describeUrl(holder.url)})`);
  }
  await mkdir(path.dirname(dataDir), { recursive: true });
  const embedded = await startEmbeddedPostgres({ dataDir, port });
  await writeFile(lockFile(dataDir), JSON.stringify({ pid: process.pid, url: embedded.url } satisfies LockInfo));
  return {
    ...embedded,
    async stop() {
      try {
        await embedded.stop();
      } finally {
        await rm(lockFile(dataDir), { force: true });
      }
    },
  };
}

/** host:port/database, never the password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    return `${user}${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

export type OperatorDatabase = { url: string; description: string; close(): Promise<void> };

/** The database an operator command (credits:grant, idempotency:purge) should use. */
export async function operatorDatabase(): Promise<OperatorDatabase> {
  const url = config().DATABASE_URL;
  if (url) return { url, description: describeUrl(url), close: async () => {} };
  const running = await runningEmbedded(DEV_DATA_DIR);
  if (running) {
    return { url: running.url, description: `embedded database of npm run dev (${describeUrl(running.url)})`, close: async () => {} };
  }
  if (!existsSync(DEV_DATA_DIR)) {
    throw new Error(
      `DATABASE_URL is not set and there is no embedded database in ${DEV_DATA_DIR} yet: ` +
        'run `npm run dev` once, or set DATABASE_URL=postgres://user:password@host:5432/db',
    );
  }
  const embedded = await startLockedEmbedded(DEV_DATA_DIR, OPERATOR_PORT);
  return { url: embedded.url, description: `embedded database in ${DEV_DATA_DIR}`, close: () => embedded.stop() };
}
