import 'server-only';
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { config } from '@/lib/config';
import { getDb } from '@/lib/db/pool';
import { listApiKeys } from './api-keys';
import { demoLoginFor } from './demo-organiser';
import { settingsOf } from './profiles';
import { authProvider } from './index';
import type { AuthUser } from './types';

/** The signed-in organiser in a server component or page, or null; looked up once per request. */
export const getSessionUser = cache(async (): Promise<AuthUser | null> => {
  const [cookieStore, headerStore] = await Promise.all([cookies(), headers()]);
  const cookie = cookieStore
    .getAll()
    .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
    .join('; ');
  // The scheme decides the session cookie's name (__Host-session over HTTPS).
  const proto = headerStore.get('x-forwarded-proto') ?? 'http';
  const current = await authProvider().currentUser(new Request('http://localhost/', { headers: { cookie, 'x-forwarded-proto': proto } }));
  return current?.user ?? null;
});

/** For pages that need a session: the organiser, or a redirect to /sign-in and back. */
export async function requireSessionUser(returnTo: string): Promise<AuthUser> {
  const user = await getSessionUser();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  return user;
}


/** The organiser's settings (the default currency of new ticket types). */
export const settingsOfUser = cache((userId: string) => settingsOf(getDb(), userId));

export const apiKeysOf = cache((teamId: string) => listApiKeys(getDb(), teamId));

/** The demo organiser's login for the sign-in page, or null away from the embedded database. */
export const demoLogin = () => demoLoginFor(config().DATABASE_URL);
