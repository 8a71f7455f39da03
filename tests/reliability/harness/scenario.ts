// A scenario's world: a fresh database and N instances against it; close() ends both.
import { inject } from 'vitest';
import { freshDatabase, type ScenarioDatabase } from './database';
import { startInstance, type AppInstance } from './instances';

export const METRICS_TOKEN = 'reliability-metrics-token';

/** The app's connections carry this name, so faults can target them and not the test's own. */
export const APP_CONNECTION_NAME = 'reliability-app';

export function withApplicationName(url: string): string {
  const u = new URL(url);
  u.searchParams.set('application_name', APP_CONNECTION_NAME);
  return u.toString();
}

export type Scenario = { database: ScenarioDatabase; instances: AppInstance[]; close(): Promise<void> };

export async function startScenario(
  label: string,
  options: { instances: { name: string; env?: Record<string, string> }[]; databaseServer?: string },
): Promise<Scenario> {
  const appDir = inject('appDir');
  const database = await freshDatabase(label, options.databaseServer);
  const instances: AppInstance[] = [];
  const close = async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await database.close();
  };
  try {
    const started = await Promise.all(
      options.instances.map((spec) =>
        startInstance(appDir, {
          name: `${label}-${spec.name}`,
          env: { DATABASE_URL: withApplicationName(database.url), METRICS_TOKEN, LOG_LEVEL: 'silent', ...spec.env },
        }),
      ),
    );
    instances.push(...started);
  } catch (error) {
    await close();
    throw error;
  }
  return { database, instances, close };
}

/** Runs tasks with at most `limit` in flight; results in task order. */
export async function pooled<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      const task = tasks[i];
      if (task) results[i] = await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
