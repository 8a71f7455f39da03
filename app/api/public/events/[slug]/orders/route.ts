import { clientAddress } from '@/lib/http/client-address';
import { methods } from '@/lib/http/methods';
import { placeOrderSchema } from '@/lib/tickets/schemas';
import { placeOrder } from '@/lib/tickets/orders';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/public/events/[slug]/orders', {
  POST: (route) => route
    .public()
    .body(placeOrderSchema)
    // The order's link is derived from the order-link secret inside the layer's transaction.
    .withServerKeys()
    .idempotent()
    .handle(async ({ request, params, body, locale, db }) => {
      const placed = await placeOrder(db, params.slug, { ...body, locale: body.locale ?? locale, address: clientAddress(request) });
      return { status: 201, data: placed, resource: { type: 'order', id: placed.order.id } };
    }),
});
