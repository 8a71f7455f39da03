import { authProvider } from '@/lib/auth';
import { methods } from '@/lib/http/methods';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/auth/sign-out', {
  POST: (route) => route
    .public()
    .handle(async ({ request }) => ({ status: 204, cookies: await authProvider().signOut(request) })),
});
