import type { RequestMeta } from '@/lib/auth/types';

/** The client's IP as the nearest proxy reports it (loopback when there is none). */
export function requestMeta(request: Request): RequestMeta {
  const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  const ip = forwarded || request.headers.get('x-real-ip') || '127.0.0.1';
  return { ip, userAgent: request.headers.get('user-agent') };
}
