// The embedded default: PGlite (Postgres in WebAssembly) behind a socket
// server on 127.0.0.1, so the app and psql talk to it like any Postgres.
// One Postgres session serves every connection, one protocol message at a
// time: two connections' extended-protocol messages interleave there and
// clobber each other's unnamed statement ("unnamed prepared statement does not
// exist", then a stuck queue). So the app's pool keeps ONE connection to it.
import { createServer } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { EMBEDDED_APPLICATION_NAME } from './embedded-url';

export const DEFAULT_EMBEDDED_PORT = 54322;


export type EmbeddedPostgres = { url: string; port: number; dataDir: string | null; stop(): Promise<void> };

function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

export async function findFreePort(from: number, host = '127.0.0.1', tries = 50): Promise<number> {
  for (let port = from; port < from + tries; port++) {
    if (await portIsFree(port, host)) return port;
  }
  throw new Error(`no free port in ${from}..${from + tries - 1}`);
}

/** dataDir null keeps the database in memory (tests). */
export async function startEmbeddedPostgres(options: { dataDir: string | null; port?: number }): Promise<EmbeddedPostgres> {
  const host = '127.0.0.1';
  const port = await findFreePort(options.port ?? DEFAULT_EMBEDDED_PORT, host);
  const db = options.dataDir ? await PGlite.create(options.dataDir) : await PGlite.create();
  const server = new PGLiteSocketServer({ db, host, port, maxConnections: 64 });
  await server.start();
  return {
    url: `postgres://postgres:postgres@${host}:${port}/postgres?sslmode=disable&application_name=${EMBEDDED_APPLICATION_NAME}`,
    port,
    dataDir: options.dataDir,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
