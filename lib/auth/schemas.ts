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

