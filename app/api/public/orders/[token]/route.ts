import { AppError } from '@/lib/errors';
import { guestCookieFor } from '@/lib/http/guest';
import { methods } from '@/lib/http/methods';
import { orderByToken } from '@/lib/tickets/guest-orders';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/public/orders/[token]', {
  GET: (route) => route
    .public()
    .handle(async ({ request, params, db }) => {
      const found = await orderByToken(db, params.token);
      if (!found) throw new AppError('NOT_FOUND');
      const cookie = guestCookieFor(request);
      return { status: 200, data: found, ...(cookie && { cookies: [cookie] }) };
    }),
});
