// `npm run worker` processes (scripts/worker.ts under tsx), each in its own
// process group so kill -9 takes exactly that worker down.
import { REPO_ROOT } from './build';
import { spawnGroup, type GroupProcess } from './process-group';

export type WorkerProcess = GroupProcess & { name: string };

/** Starts a worker and resolves once it says it is running. */
export async function startWorker(name: string, env: Record<string, string>): Promise<WorkerProcess> {
  const group = await spawnGroup(`worker-${name}`, ['--import', 'tsx', 'scripts/worker.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    graceMs: 10_000,
  });
  const { exited, logs } = group;
  const worker: WorkerProcess = { name, ...group };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`worker ${name} exited while starting:\n${await logs()}`);
    if ((await logs()).includes('outbox.worker_started')) return worker;
    await new Promise((r) => setTimeout(r, 100));
  }
  await worker.kill9();
  throw new Error(`worker ${name} did not start:\n${await logs()}`);
}
