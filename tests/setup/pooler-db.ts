// The pooler run: a fresh database on a real Postgres, migrated over a direct
// connection (as `supabase db push` does), then every test query goes through
// PgBouncer in transaction mode, the way Supabase's transaction pooler (port
// 6543) hands out server connections: a different one per transaction, so
// nothing may rely on session state (named prepared statements, SET without
// LOCAL, session advisory locks, LISTEN). The server side gets fewer
// connections than the app's pool has, so connections really are shared.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { findFreePort } from '../../lib/db/embedded';
import { migrateDatabase } from '../../lib/db/migrate';
import { createTestDatabase } from './global-db';

const SERVER_POOL_SIZE = 4;

function waitForPort(port: number, child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`pgbouncer exited with ${child.exitCode}`));
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.end();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`pgbouncer did not listen on ${port}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const bin = process.env.PGBOUNCER_BIN ?? '/usr/sbin/pgbouncer';
  if (!existsSync(bin)) throw new Error(`pgbouncer not found at ${bin}: apt-get install -y pgbouncer, or set PGBOUNCER_BIN`);

  const name = `it_pooler_${Date.now()}_${process.pid}`;
  const db = await createTestDatabase(serverUrl, name);
  await migrateDatabase(db.url);

  const upstream = new URL(serverUrl);
  const port = await findFreePort(54810);
  const dir = await mkdtemp(path.join(tmpdir(), 'pgbouncer-'));
  await chmod(dir, 0o755); // pgbouncer drops root for `nobody`, who must read its config
  const ini = path.join(dir, 'pgbouncer.ini');
  await writeFile(
    ini,
    [
      '[databases]',
      `* = host=${upstream.hostname} port=${upstream.port || '5432'}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir =`,
      'auth_type = trust',
      `auth_file = ${path.join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${SERVER_POOL_SIZE}`,
      'max_client_conn = 500',
      // Like Supavisor: no named prepared statements across transactions (PgBouncer < 1.21 has none at all).
      'ignore_startup_parameters = extra_float_digits,options',
      'server_reset_query =',
      'log_connections = 0',
      'log_disconnections = 0',
      '',
    ].join('\n'),
  );
  await writeFile(path.join(dir, 'users.txt'), `"${decodeURIComponent(upstream.username || 'postgres')}" ""\n`);
  await chmod(ini, 0o644);

  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const child = spawn(bin, [...(asRoot ? ['-u', 'nobody'] : []), ini], { stdio: ['ignore', 'inherit', 'inherit'] });
  try {
    await waitForPort(port, child);
  } catch (error) {
    child.kill('SIGINT');
    await db.drop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  const pooled = new URL(db.url);
  pooled.hostname = '127.0.0.1';
  pooled.port = String(port);
  project.provide('databaseUrl', pooled.toString());
  project.provide('databaseKind', 'postgres');

  return async () => {
    child.kill('SIGINT');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  };
}
