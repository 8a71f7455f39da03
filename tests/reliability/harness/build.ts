// One production build shared by every instance of the reliability suite and
// the benchmark. Built from a snapshot of the working tree's app files in
// .data/app-build/<content hash>, so a teammate's edit or `next dev` in the
// tree cannot change the build under a running suite, and an unchanged tree
// reuses the last build. The snapshot has no lockfile of its own: Next takes
// the repository as its root and resolves node_modules from there.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, openSync, closeSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
export const NEXT_BIN = createRequire(import.meta.url).resolve('next/dist/bin/next');

const SKIPPED_PREFIXES = ['tests/', 'e2e/', 'docs/', 'scripts/', 'supabase/', '.ci/', '.github/'];
const SKIPPED_FILES = new Set(['package-lock.json', 'vitest.config.ts', 'playwright.config.ts', 'drizzle.config.ts', 'README.md']);

function appFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: REPO_ROOT })
    .toString()
    .split('\0')
    .filter(Boolean);
  return [...new Set(listed)]
    .filter((f) => !SKIPPED_PREFIXES.some((p) => f.startsWith(p)) && !SKIPPED_FILES.has(f))
    .filter((f) => !/\.test\.tsx?$/.test(f))
    .filter((f) => existsSync(path.join(REPO_ROOT, f)))
    .sort();
}

function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}

/**
 * The directory of a finished production build of the current tree (built now
 * if needed). APP_BUILD_DIR names a ready one and skips all of this.
 */
export async function productionBuild(log: (line: string) => void = console.log): Promise<string> {
  if (process.env.APP_BUILD_DIR) return path.resolve(process.env.APP_BUILD_DIR);
  const files = appFiles();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file).update('\0').update(await readFile(path.join(REPO_ROOT, file))).update('\0');
  }
  const dir = path.join(REPO_ROOT, '.data/app-build', hash.digest('hex').slice(0, 16));
  const stamp = path.join(dir, '.build-complete');
  if (existsSync(stamp)) {
    log(`app build: reusing ${path.relative(REPO_ROOT, dir)}`);
    return dir;
  }
  await rm(dir, { recursive: true, force: true });
  for (const file of files) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await copyFile(path.join(REPO_ROOT, file), path.join(dir, file));
  }
  log(`app build: next build in ${path.relative(REPO_ROOT, dir)} (${files.length} files)…`);
  const started = Date.now();
  const logFile = path.join(dir, 'build.log');
  const fd = openSync(logFile, 'w');
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [NEXT_BIN, 'build'], {
      cwd: dir,
      stdio: ['ignore', fd, fd],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    });
    child.once('exit', (c) => resolve(c ?? 1));
  });
  closeSync(fd);
  if (code !== 0) throw new Error(`next build failed (exit ${code}):\n${tail(await readFile(logFile, 'utf8'))}`);
  await writeFile(stamp, new Date().toISOString());
  log(`app build: done in ${Math.round((Date.now() - started) / 1000)} s`);
  await pruneOldBuilds(dir);
  return dir;
}

/** Builds of older trees, untouched for an hour (no run can still be using them), are removed. */
async function pruneOldBuilds(keep: string): Promise<void> {
  const parent = path.dirname(keep);
  for (const name of await readdir(parent)) {
    const dir = path.join(parent, name);
    if (dir === keep) continue;
    const info = await stat(dir).catch(() => null);
    if (info && Date.now() - info.mtimeMs > 3600_000) await rm(dir, { recursive: true, force: true });
  }
}
