// What /dev/mail shows: the messages the development catcher of `npm run dev`
// kept in MAIL_CATCHER_DIR (lib/mail/catcher.ts). Development only: in a
// production build this answers null and the page is a 404.
import 'server-only';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CaughtMail } from './catcher';
import { config } from '@/lib/config';

const SHOWN = 100;

export function devMailEnabled(): boolean {
  return config().NODE_ENV === 'development';
}

/** The newest caught messages first (at most 100); null outside development. */
export async function caughtMail(): Promise<CaughtMail[] | null> {
  if (!devMailEnabled()) return null;
  const dir = config().MAIL_CATCHER_DIR;
  if (!dir) return [];
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  // Names start with the acceptance time in ms: newest last when sorted.
  const newest = names.sort().reverse().slice(0, SHOWN);
  const mails = await Promise.all(
    newest.map(async (name) => {
      try {
        return JSON.parse(await readFile(path.join(dir, name), 'utf8')) as CaughtMail;
      } catch {
        return null;
      }
    }),
  );
  return mails.filter((m): m is CaughtMail => m !== null);
}
