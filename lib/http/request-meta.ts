import { headers } from 'next/headers';
import { isHttps } from '@/lib/auth/cookies';
import type { RequestMeta } from '@/lib/auth/types';
import { clientAddress } from './client-address';
import { config } from '@/lib/config';

/** The client's address as far as TRUST_PROXY_HOPS lets us believe it (lib/http/client-address.ts). */
export function requestMeta(request: Request): RequestMeta {
  return { ip: clientAddress(request), userAgent: request.headers.get('user-agent'), https: isHttps(request) };
}

/** The app's public origin: APP_ORIGIN when set, else the one the request was made to. */
export function appOrigin(request: Request): string {
  const configured = config().APP_ORIGIN;
  if (configured) return configured;
  const url = new URL(request.url);
  const host = request.headers.get('host');
  return host ? `${url.protocol}//${host}` : url.origin;
}

/** appOrigin for a server component, from the headers of the page's request. */
export async function pageOrigin(): Promise<string> {
  const configured = config().APP_ORIGIN;
  if (configured) return configured;
  const incoming = await headers();
  const https = incoming.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https';
  return `${https ? 'https' : 'http'}://${incoming.get('host') ?? 'localhost'}`;
}
