import { findOwnCheckout } from '@/lib/billing/purchases';
import { AppError } from '@/lib/errors';
import { methods } from '@/lib/http/methods';
import { route } from '@/lib/http/route';

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: route('GET /api/billing/checkouts/:id').handle(async ({ user, params, db }) => {
    const checkout = await findOwnCheckout(db, user.id, params.id ?? '');
    if (!checkout) throw new AppError('NOT_FOUND');
    return { status: 200, data: { checkout } };
  }),
});
