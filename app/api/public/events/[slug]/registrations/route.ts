import { clientAddress } from '@/lib/http/client-address';
import { methods } from '@/lib/http/methods';
import { registerSchema } from '@/lib/registrations/schemas';
import { register } from '@/lib/registrations/service';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/public/events/[slug]/registrations', {
  POST: (route) => route
    .public()
    .body(registerSchema)
    .idempotent()
    .handle(async ({ request, params, body, locale, db }) => {
      const created = await register(db, params.slug, {
        ...body,
        locale: body.locale ?? locale,
        address: clientAddress(request),
      });
      return { status: 201, data: created, resource: { type: 'registration', id: created.registration.id } };
    }),
});
