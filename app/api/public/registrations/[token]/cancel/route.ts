import { methods } from '@/lib/http/methods';
import { cancelByToken } from '@/lib/registrations/service';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/public/registrations/[token]/cancel', {
  POST: (route) => route
    .public()
    .idempotent()
    .handle(async ({ params, db }) => {
      const result = await cancelByToken(db, params.token);
      return { status: 200, data: result, resource: { type: 'registration', id: result.registration.id } };
    }),
});
