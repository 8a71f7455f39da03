import { authProvider } from '@/lib/auth';
import { signInSchema } from '@/lib/auth/schemas';
import { methods } from '@/lib/http/methods';
import { requestMeta } from '@/lib/http/request-meta';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/auth/sign-in', {
  POST: (route) => route
    .public()
    .body(signInSchema)
    .handle(async ({ request, body }) => {
      const { user, cookies } = await authProvider().signIn(body, requestMeta(request));
      return { status: 200, data: { user }, cookies };
    }),
});
