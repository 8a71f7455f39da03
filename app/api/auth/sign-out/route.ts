import { authProvider } from '@/lib/auth';
import { route } from '@/lib/http/route';
import { otherMethods } from '@/lib/http/method-not-allowed';

export const POST = route('POST /api/auth/sign-out', { auth: false }, async ({ request }) => {
  return { status: 204, cookies: await authProvider().signOut(request) };
});

// Next reads each method as its own named export, so they are spelled out.
const otherMethodHandlers = otherMethods('POST');
export const GET = otherMethodHandlers.GET;
export const PUT = otherMethodHandlers.PUT;
export const PATCH = otherMethodHandlers.PATCH;
export const DELETE = otherMethodHandlers.DELETE;
