// Pages that need a session send visitors without one to /sign-in and back
// after it. Only the cookie's presence is checked here; the pages verify it
// (an expired session lands on /sign-in the same way, from requireSessionUser).
import { NextResponse, type NextRequest } from 'next/server';
import { hasSessionCookie } from '@/lib/auth/session-presence';

export function proxy(request: NextRequest) {
  const returnTo = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  if (!hasSessionCookie(request)) {
    const signIn = new URL('/sign-in', request.url);
    if (returnTo !== '/') signIn.searchParams.set('next', returnTo);
    return NextResponse.redirect(signIn);
  }
  const headers = new Headers(request.headers);
  headers.set('x-return-to', returnTo);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ['/', '/events', '/events/:path*', '/billing', '/billing/:path*'],
};
