import { authProvider } from '@/lib/auth';
import { signInSchema } from '@/lib/auth/schemas';
import { requestMeta } from '@/lib/http/request-meta';
import { route } from '@/lib/http/route';

export const POST = route('POST /api/auth/sign-in', { auth: false, body: signInSchema }, async ({ request, body }) => {
  const { user, cookies } = await authProvider().signIn(body, requestMeta(request));
  return { status: 200, data: { user }, cookies };
});
