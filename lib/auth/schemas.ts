import { API_KEY_SCOPES, type ApiKeyScope } from '@/lib/enums';
import { z } from '@/lib/zod';

const PASSWORD_MIN = 10;

const email = z
  .string({ error: 'email' })
  .trim()
  .toLowerCase()
  .max(254, 'email')
  .pipe(z.email({ error: 'email' }));

export const signUpSchema = z.object({
  email,
  password: z.string({ error: 'required' }).min(PASSWORD_MIN, 'passwordTooShort').max(200, 'passwordTooLong'),
  name: z.string().trim().max(100, 'nameTooLong').optional(),
});

export const signInSchema = z.object({
  email,
  password: z.string({ error: 'required' }).min(1, 'required').max(200, 'passwordTooLong'),
});


// ---- API keys ----

export const createApiKeySchema = z.strictObject({
  name: z.string({ error: 'required' }).trim().min(1, 'required').max(100, 'nameTooLong'),
  /** What the key may do (docs/api.md, "Teams"); left out: every scope, as keys made before scopes. */
  scopes: z
    .array(z.enum(API_KEY_SCOPES, { error: 'invalid' }), { error: 'invalid' })
    .min(1, 'required')
    .max(API_KEY_SCOPES.length)
    .transform((list) => [...new Set(list)])
    .optional(),
});
export type CreateApiKeyInput = z.input<typeof createApiKeySchema>;

/** An API key as the organiser's API shows it: never the secret, which is shown once, at creation. */
export type ApiKeyDto = { id: string; name: string; prefix: string; scopes: ApiKeyScope[]; createdAt: string; lastUsedAt: string | null };

// ---- the organiser's settings ----

/** `PATCH /api/me/settings`: the currency new ticket types are priced in (ISO 4217; stored lower case). */
export const updateSettingsSchema = z.strictObject(
  {
    defaultCurrency: z
      .string({ error: 'currency' })
      .trim()
      .toLowerCase()
      .regex(/^[a-z]{3}$/, 'currency')
      .refine((code) => Intl.supportedValuesOf('currency').includes(code.toUpperCase()), 'currency'),
  },
  { error: 'invalid' },
);
export type UpdateSettingsInput = z.input<typeof updateSettingsSchema>;

export type SettingsDto = { defaultCurrency: string | null };
