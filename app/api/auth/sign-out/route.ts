import { authProvider } from '@/lib/auth';
import { route } from '@/lib/http/route';

export const POST = route('POST /api/auth/sign-out', { auth: false }, async ({ request }) => {
  return { status: 204, cookies: await authProvider().signOut(request) };
});
