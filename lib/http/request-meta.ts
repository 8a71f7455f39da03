import { isHttps } from '@/lib/auth/cookies';
import type { RequestMeta } from '@/lib/auth/types';
import { clientAddress } from './client-address';

/** The client's address as far as TRUST_PROXY_HOPS lets us believe it (lib/http/client-address.ts). */
export function requestMeta(request: Request): RequestMeta {
  return { ip: clientAddress(request), userAgent: request.headers.get('user-agent'), https: isHttps(request) };
}
