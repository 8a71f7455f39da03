import { settingsOf, updateSettings } from '@/lib/auth/profiles';
import { updateSettingsSchema } from '@/lib/auth/schemas';
import { methods } from '@/lib/http/methods';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/me/settings', {
  GET: (route) => route.handle(async ({ user, db }) => ({ status: 200, data: { settings: await settingsOf(db, user.id) } })),
  PATCH: (route) => route
    .body(updateSettingsSchema)
    .idempotent()
    .handle(async ({ user, body, db }) => ({ status: 200, data: { settings: await updateSettings(db, user.id, body) }, resource: { type: 'profile', id: user.id } })),
});
