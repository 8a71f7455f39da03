// What must exist once per server process (a pool, a worker, a cache), kept
// across Next's dev-mode module reloads, which would otherwise make a second one:
// the one place that reaches into globalThis for it.

type Holder = typeof globalThis & { [key: symbol]: unknown };

/** The process's one value under `name`, made by `make` on first use. */
export function processSingleton<T>(name: string, make: () => T): T {
  const key = Symbol.for(`event-app.${name}`);
  const holder = globalThis as Holder;
  if (!(key in holder)) holder[key] = make();
  return holder[key] as T;
}

/** Replaces (or, with `undefined`, forgets) the process's value under `name`. */
export function replaceProcessSingleton<T>(name: string, value: T | undefined): void {
  const key = Symbol.for(`event-app.${name}`);
  const holder = globalThis as Holder;
  if (value === undefined) delete holder[key];
  else holder[key] = value;
}
