import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const tsx = path.resolve('node_modules/.bin/tsx');

/** Runs one of scripts/*.ts in its own process, as `npm run …` would; never throws on a non-zero exit. */
export async function runScript(script: string, args: string[] = [], env: Record<string, string | undefined> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(tsx, [script, ...args], {
      env: { ...process.env, ...env },
      // A fresh tsx process compiles its imports first: on a busy machine that can take a minute.
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
