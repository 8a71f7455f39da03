import { methods } from '@/lib/http/methods';
import { route } from '@/lib/http/route';
import { cancelByToken } from '@/lib/registrations/service';

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: route('POST /api/public/registrations/[token]/cancel')
    .public()
    .idempotent()
    .handle(async ({ params, db }) => {
      const result = await cancelByToken(db, params.token ?? '');
      return { status: 200, data: result, resource: { type: 'registration', id: result.registration.id } };
    }),
});
