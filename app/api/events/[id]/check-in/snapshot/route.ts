import { checkinSnapshot } from '@/lib/checkin/queries';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { methods } from '@/lib/http/methods';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]/check-in/snapshot', {
  GET: (route) => route.handle(async ({ team, params, db }) => {
    if (!isUuid(params.id)) throw new AppError('NOT_FOUND');
    const snapshot = await checkinSnapshot(db, params.id, team.id);
    if (!snapshot) throw new AppError('NOT_FOUND');
    return { status: 200, data: snapshot };
  }),
});
