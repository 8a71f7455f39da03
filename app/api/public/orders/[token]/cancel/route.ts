import { methods } from '@/lib/http/methods';
import { cancelOrderByToken } from '@/lib/tickets/guest-orders';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/public/orders/[token]/cancel', {
  POST: (route) => route
    .public()
    .idempotent()
    .handle(async ({ params, db }) => {
      const result = await cancelOrderByToken(db, params.token);
      return { status: 200, data: result, resource: { type: 'order', id: result.order.id } };
    }),
});
