import { findOwnCheckout } from '@/lib/billing/purchases';
import { AppError } from '@/lib/errors';
import { methods } from '@/lib/http/methods';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/billing/checkouts/[id]', {
  GET: (route) => route.handle(async ({ team, params, db }) => {
    const checkout = await findOwnCheckout(db, team.id, params.id);
    if (!checkout) throw new AppError('NOT_FOUND');
    return { status: 200, data: { checkout } };
  }),
});
