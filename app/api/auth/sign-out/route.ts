import { authProvider } from '@/lib/auth';
import { methods } from '@/lib/http/methods';
import { route } from '@/lib/http/route';

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: route('POST /api/auth/sign-out')
    .public()
    .handle(async ({ request }) => ({ status: 204, cookies: await authProvider().signOut(request) })),
});
