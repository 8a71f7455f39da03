// A bad variable stops a process before it does anything, with one line that
// names the variable (lib/config.ts, configOrExit): the worker and the
// migration command, as the server does from instrumentation.ts.
import { describe, expect, it } from 'vitest';
import { runScript } from './run-script';

describe('a bad environment variable at start', () => {
  it.each([
    ['scripts/worker.ts', 'TRUST_PROXY_HOPS', 'two'],
    ['scripts/db-migrate.ts', 'OUTBOX_WORKER', 'maybe'],
  ])('stops %s, naming %s', async (script, variable, value) => {
    const result = await runScript(script, [], { [variable]: value });
    expect(result.code).toBe(1);
    const line = result.stderr.split('\n').find((l) => l.includes('config.invalid'));
    expect(line, result.stderr).toBeDefined();
    expect(JSON.parse(line ?? '{}')).toMatchObject({ level: 'error', msg: 'config.invalid', variable });
  });
});
