// `next start` processes on loopback, each in its own process group so that
// kill -9 takes the whole instance down at once, and only what we started.
import { findFreePort } from '../../../lib/db/embedded';
import { NEXT_BIN } from './build';
import { spawnGroup, type GroupProcess } from './process-group';

export type AppInstance = GroupProcess & { name: string; port: number; url: string };

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
  const port = options.port ?? (await freeAppPort());
  const group = await spawnGroup(`app-${options.name}`, [...(options.nodeArgs ?? []), NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: appDir,
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...options.env },
    graceMs: 5000,
  });
  const url = `http://127.0.0.1:${port}`;
  const logs = group.logs;
  const instance: AppInstance = { name: options.name, port, url, ...group };

  // Ready when the API answers at all (401 from /api/me without a session).
  const deadline = Date.now() + (options.readyTimeoutMs ?? 150_000);
  while (Date.now() < deadline) {
    if (instance.exited()) throw new Error(`instance ${options.name} exited while starting:\n${await logs()}`);
    try {
      const res = await fetch(`${url}/api/me`, { signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      return instance;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await instance.kill9();
  throw new Error(`instance ${options.name} not ready on ${url}:\n${await logs()}`);
}
