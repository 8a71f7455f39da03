// Every page gets its Content-Security-Policy here, with a fresh nonce that
// Next puts on its scripts (it reads the policy from the request headers).
// Pages that need a session also send visitors without one to /sign-in and
// back after it. Only the cookie's presence is checked here; the pages verify
// it (an expired session lands on /sign-in the same way, from requireSessionUser).
import { NextResponse, type NextRequest } from 'next/server';
import { hasSessionCookie } from '@/lib/auth/session-presence';
import { GUEST_COOKIE, guestSetCookie, hasGuestToken, newGuestToken } from '@/lib/http/guest-cookie';
import { newNonce, pageContentSecurityPolicy } from '@/lib/http/security-headers';

function needsSession(pathname: string): boolean {
  return pathname === '/' || /^\/(events|billing|settings|team)(\/|$)/.test(pathname);
}

/** Public event and manage pages: anyone may open them, and a guest gets the guest cookie there. */
function isPublicPage(pathname: string): boolean {
  return /^\/(e|r)\//.test(pathname);
}

export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const policy = pageContentSecurityPolicy(nonce);
  const { pathname, search } = request.nextUrl;
  let response: NextResponse;
  if (needsSession(pathname) && !hasSessionCookie(request)) {
    const signIn = new URL('/sign-in', request.url);
    const returnTo = `${pathname}${search}`;
    if (returnTo !== '/') signIn.searchParams.set('next', returnTo);
    response = NextResponse.redirect(signIn);
  } else {
    const headers = new Headers(request.headers);
    headers.set('x-nonce', nonce);
    headers.set('content-security-policy', policy);
    if (needsSession(pathname)) headers.set('x-return-to', `${pathname}${search}`);
    else headers.delete('x-return-to');
    response = NextResponse.next({ request: { headers } });
  }
  response.headers.set('Content-Security-Policy', policy);
  if (isPublicPage(pathname) && !hasGuestToken(request.cookies.get(GUEST_COOKIE)?.value)) {
    response.headers.append('Set-Cookie', guestSetCookie(newGuestToken()));
  }
  return response;
}

export const config = {
  // Pages only: /api answers carry their own policy (next.config.js), and Next's
  // static files and the icon are not documents.
  matcher: ['/((?!api/|api$|media/|_next/static|_next/image|icon\\.svg|favicon\\.ico).*)'],
};
