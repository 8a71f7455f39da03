import { revokeDoorDevice } from '@/lib/checkin/devices';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { methods } from '@/lib/http/methods';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]/door-devices/[did]', {
  // The device's next request is 401, on every instance: the builder looks its token up on each one.
  DELETE: (route) => route.idempotent().handle(async ({ team, actor, params, db }) => {
    if (!isUuid(params.id)) throw new AppError('NOT_FOUND');
    await revokeDoorDevice(db, { teamId: team.id, eventId: params.id, deviceId: params.did, actor });
    return { status: 204, resource: { type: 'door_device', id: params.did } };
  }),
});
