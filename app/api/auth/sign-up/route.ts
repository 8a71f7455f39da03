import { authProvider } from '@/lib/auth';
import { signUpSchema } from '@/lib/auth/schemas';
import { methods } from '@/lib/http/methods';
import { requestMeta } from '@/lib/http/request-meta';
import { route } from '@/lib/http/route';

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: route('POST /api/auth/sign-up')
    .public()
    .body(signUpSchema)
    .handle(async ({ request, body }) => {
      const { user, cookies } = await authProvider().signUp(body, requestMeta(request));
      return { status: 201, data: { user }, cookies };
    }),
});
