import { authProvider } from '@/lib/auth';
import { signInSchema } from '@/lib/auth/schemas';
import { methods } from '@/lib/http/methods';
import { requestMeta } from '@/lib/http/request-meta';
import { route } from '@/lib/http/route';

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: route('POST /api/auth/sign-in')
    .public()
    .body(signInSchema)
    .handle(async ({ request, body }) => {
      const { user, cookies } = await authProvider().signIn(body, requestMeta(request));
      return { status: 200, data: { user }, cookies };
    }),
});
