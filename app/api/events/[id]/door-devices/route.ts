import { createDoorDevice, listDoorDevices } from '@/lib/checkin/devices';
import { createDoorDeviceSchema, DEVICE_FRAGMENT_KEY, doorScannerPath } from '@/lib/checkin/schemas';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { methods } from '@/lib/http/methods';
import { appOrigin } from '@/lib/http/request-meta';

// Door devices (docs/api.md, "Teams, roles and door devices"): `devices:manage`, browser sessions only.
// The builder has already found the event in the caller's team (a stranger is 404).
export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]/door-devices', {
  GET: (route) => route.handle(async ({ team, params, db }) => {
    if (!isUuid(params.id)) throw new AppError('NOT_FOUND');
    return { status: 200, data: { devices: await listDoorDevices(db, team.id, params.id) } };
  }),
  POST: (route) => route
    .body(createDoorDeviceSchema)
    .idempotent()
    .handle(async ({ request, team, actor, user, params, body, db }) => {
      if (!isUuid(params.id)) throw new AppError('NOT_FOUND');
      const { device, token } = await createDoorDevice(db, { teamId: team.id, eventId: params.id, name: body.name, createdBy: user?.id ?? null, actor });
      // Absolute: a phone opens it from a QR code. The token opens the scanner from the fragment, which no server (nor its logs) ever receives.
      const url = `${appOrigin(request)}${doorScannerPath(params.id)}#${DEVICE_FRAGMENT_KEY}=${token}`;
      // Token and url are in this answer only: never in the idempotency record, so a replay answers without them.
      return { status: 201, data: { device }, unstored: { token, url }, resource: { type: 'door_device', id: device.id } };
    }),
});
