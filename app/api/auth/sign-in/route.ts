import { authProvider } from '@/lib/auth';
import { signInSchema } from '@/lib/auth/schemas';
import { requestMeta } from '@/lib/http/request-meta';
import { route } from '@/lib/http/route';
import { otherMethods } from '@/lib/http/method-not-allowed';

export const POST = route('POST /api/auth/sign-in', { auth: false, body: signInSchema }, async ({ request, body }) => {
  const { user, cookies } = await authProvider().signIn(body, requestMeta(request));
  return { status: 200, data: { user }, cookies };
});

// Next reads each method as its own named export, so they are spelled out.
const otherMethodHandlers = otherMethods('POST');
export const GET = otherMethodHandlers.GET;
export const PUT = otherMethodHandlers.PUT;
export const PATCH = otherMethodHandlers.PATCH;
export const DELETE = otherMethodHandlers.DELETE;
