import { authProvider } from '@/lib/auth';
import { signUpSchema } from '@/lib/auth/schemas';
import { methods } from '@/lib/http/methods';
import { requestMeta } from '@/lib/http/request-meta';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/auth/sign-up', {
  POST: (route) => route
    .public()
    .body(signUpSchema)
    .handle(async ({ request, body }) => {
      const { user, cookies } = await authProvider().signUp(body, requestMeta(request));
      return { status: 201, data: { user }, cookies };
    }),
});
