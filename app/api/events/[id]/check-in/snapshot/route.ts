import { checkinSnapshot } from '@/lib/checkin/queries';
import { AppError } from '@/lib/errors';
import { isEventId } from '@/lib/events/queries';
import { methods } from '@/lib/http/methods';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]/check-in/snapshot', {
  GET: (route) => route.handle(async ({ user, params, db }) => {
    if (!isEventId(params.id)) throw new AppError('NOT_FOUND');
    const snapshot = await checkinSnapshot(db, params.id, user.id);
    if (!snapshot) throw new AppError('NOT_FOUND');
    return { status: 200, data: snapshot };
  }),
});
