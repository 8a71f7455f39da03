import { DEMO_ORGANISER, expect, test } from '../support/fixtures';

type Me = { success: true; data: { user: { id: string; email: string }; plan: string; credits: { balance: number } } };

test('a fresh organiser is signed in, reads /api/me, and sees credits granted by the operator path', async ({ organiser, api }) => {
  const before = await api.get('/api/me');
  expect(before.status()).toBe(200);
  const me = (await before.json()) as Me;
  expect(me.data).toMatchObject({ user: { id: organiser.id, email: organiser.email }, plan: 'free', credits: { balance: 0 } });

  expect(await organiser.grantCredits(2)).toBe(2);

  const after = (await (await api.get('/api/me')).json()) as Me;
  expect(after.data.credits.balance).toBe(2);
});

test('the seeded demo organiser signs in', async ({ api }) => {
  const response = await api.post('/api/auth/sign-in', { data: { email: DEMO_ORGANISER.email, password: DEMO_ORGANISER.password } });
  expect(response.status()).toBe(200);
  expect((await api.get('/api/me')).status()).toBe(200);
});

test('without a session /api/me answers 401 UNAUTHENTICATED', async ({ playwright }) => {
  const anonymous = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const response = await anonymous.get('/api/me');
  expect(response.status()).toBe(401);
  expect(await response.json()).toMatchObject({ success: false, error: { code: 'UNAUTHENTICATED' } });
  await anonymous.dispose();
});
