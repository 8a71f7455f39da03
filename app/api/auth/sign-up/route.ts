import { authProvider } from '@/lib/auth';
import { signUpSchema } from '@/lib/auth/schemas';
import { requestMeta } from '@/lib/http/request-meta';
import { route } from '@/lib/http/route';

export const POST = route('POST /api/auth/sign-up', { auth: false, body: signUpSchema }, async ({ request, body }) => {
  const { user, cookies } = await authProvider().signUp(body, requestMeta(request));
  return { status: 201, data: { user }, cookies };
});
