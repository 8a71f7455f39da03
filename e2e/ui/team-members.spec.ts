// Teams in a real browser (issue 37): an owner creates a team from the header's
// switcher, sells a ticket in it, and invites a finance member from the Team
// page; the invitee opens the mail's link, signs up from it and comes back,
// accepts, switches to the team and refunds the order. In English at 1280 px
// and in Russian on a 390 px phone; the Team and invitation pages are
// photographed in both (os.tmpdir()/team-*.png).
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { APIRequestContext, Page } from '@playwright/test';
import { OrdersPage } from '../pages/tickets.po';
import { clientAddress, E2E_PASSWORD, expect, test } from '../support/fixtures';
import { invitationLocale, invitationPath, inviteViaApi, joinedMember } from '../support/teams';

const WORDS = {
  en: {
    locale: 'en-US',
    viewport: { width: 1280, height: 800 },
    teamName: 'Team name',
    invite: 'Send invitation',
    email: 'Email',
    finance: /^Finance:/,
    financeRole: 'Finance',
    signUp: 'Create an account',
    nameLabel: 'Name',
    passwordLabel: 'Password',
    submitSignUp: 'Create account',
    accepted: 'You joined',
  },
  ru: {
    locale: 'ru-RU',
    viewport: { width: 390, height: 844 },
    teamName: 'Название команды',
    invite: 'Отправить приглашение',
    email: 'Эл. почта',
    finance: /^Финансы:/,
    financeRole: 'Финансы',
    signUp: 'Зарегистрироваться',
    nameLabel: 'Имя',
    passwordLabel: 'Пароль',
    submitSignUp: 'Создать аккаунт',
    accepted: 'Вы в команде',
  },
} as const;

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(os.tmpdir(), `team-${name}.png`), fullPage: true });

/** A paid order of one €20 ticket on a new event of the team. */
async function paidOrderInTeam(api: APIRequestContext, teamId: string, title: string): Promise<{ eventId: string }> {
  const startsAt = new Date(Date.now() + 7 * 86_400_000);
  const created = await api.post('/api/events', {
    headers: { 'Idempotency-Key': randomUUID(), 'X-Team-Id': teamId },
    data: {
      title,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
      timezone: 'Europe/Moscow',
      location: { type: 'in_person', address: 'Tverskaya 1' },
      maxParticipants: 10,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const event = ((await created.json()) as { data: { event: { id: string; slug: string } } }).data.event;
  const type = await api.post(`/api/events/${event.id}/ticket-types`, { headers: { 'Idempotency-Key': randomUUID() }, data: { name: 'Standard', price: { amount: 2000, currency: 'EUR' } } });
  expect(type.status()).toBe(201);
  const ticketTypeId = ((await type.json()) as { data: { ticketType: { id: string } } }).data.ticketType.id;
  const placed = await api.post(`/api/public/events/${event.slug}/orders`, {
    headers: { 'Idempotency-Key': randomUUID() },
    data: { name: 'Paying Guest', email: 'paying@example.com', items: [{ ticketTypeId, quantity: 1 }] },
  });
  expect(placed.status(), await placed.text()).toBe(201);
  const { manageUrl } = ((await placed.json()) as { data: { manageUrl: string } }).data;
  await api.get(`${manageUrl}/pay`);
  const paid = await api.post(`/api/public/orders/${manageUrl.slice(3)}/test-pay`, { headers: { 'Idempotency-Key': randomUUID() }, data: { outcome: 'paid' } });
  expect(paid.status()).toBe(200);
  return { eventId: event.id };
}

for (const [lang, words] of Object.entries(WORDS)) {
  test(`an owner invites a finance member, who signs up from the link, accepts, switches to the team and refunds an order (${lang}, ${words.viewport.width} px)`, async ({
    page,
    api,
    browser,
    baseURL,
    organiser,
  }) => {
    test.slow();
    await page.context().addCookies([{ name: 'NEXT_LOCALE', value: lang, url: baseURL ?? '' }]);
    await page.setViewportSize(words.viewport);

    // The owner makes a team from the header's switcher and lands in it.
    const teamName = `Jazz Club ${randomUUID().slice(0, 4)}`;
    await page.goto('/events');
    await page.getByTestId('team-switcher').click();
    await expect(page.getByTestId('team-switcher-menu')).toBeVisible();
    await shot(page, `switcher-menu-${lang}-${words.viewport.width}`);
    await page.getByTestId('team-create').click();
    const dialog = page.getByTestId('team-create-dialog');
    await dialog.getByLabel(words.teamName).fill(teamName);
    await shot(page, `create-dialog-${lang}-${words.viewport.width}`);
    await dialog.getByTestId('team-create-submit').click();
    await expect(page.getByTestId('team-switcher-name')).toHaveText(teamName);
    const teamId = (await page.getByTestId('team-switcher').getAttribute('data-team-id')) ?? '';
    expect(teamId).not.toBe(organiser.id);
    const { eventId } = await paidOrderInTeam(api, teamId, `Refund Night ${lang}`);

    // The Team page: the owner invites a finance member (each role explained).
    await page.goto('/team');
    await expect(page.getByTestId('member-row')).toHaveCount(1);
    const financeEmail = `e2e-finance-${randomUUID().slice(0, 8)}@example.com`;
    const form = page.getByTestId('invite-form');
    await form.getByLabel(words.email, { exact: true }).fill(financeEmail);
    await form.getByRole('radio', { name: words.finance }).check();
    await form.getByTestId('invite-submit').click();
    await expect(form.getByTestId('invite-sent')).toContainText(financeEmail);
    await expect(page.getByTestId('invitation-row')).toHaveCount(1);
    await expect(page.getByTestId('invitation-row')).toContainText(words.financeRole);
    expect(await invitationLocale(financeEmail)).toBe(lang);
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(words.viewport.width);
    await shot(page, `page-owner-${lang}-${words.viewport.width}`);

    // The invitee opens the mail's link in a browser of their own, signs up from it and comes back.
    const link = await invitationPath(financeEmail);
    const invitee = await browser.newContext({ baseURL, locale: words.locale, viewport: words.viewport });
    const financePage = await invitee.newPage();
    await financePage.goto(link);
    const invitePage = financePage.getByTestId('invite-page');
    await expect(invitePage).toHaveAttribute('data-state', 'signed-out');
    await expect(financePage.getByTestId('invite-lead')).toContainText(teamName);
    await shot(financePage, `invite-signed-out-${lang}-${words.viewport.width}`);
    await financePage.getByRole('link', { name: words.signUp }).click();
    await financePage.getByLabel(words.nameLabel).fill('Fiona Finance');
    await financePage.getByLabel(words.email).fill(financeEmail);
    await financePage.getByLabel(words.passwordLabel).fill(E2E_PASSWORD);
    await financePage.getByRole('button', { name: words.submitSignUp, exact: true }).click();
    await financePage.waitForURL((url) => url.pathname === link);
    await expect(invitePage).toHaveAttribute('data-state', 'ready');
    await shot(financePage, `invite-ready-${lang}-${words.viewport.width}`);
    await financePage.getByTestId('invite-accept').click();
    await expect(financePage.getByTestId('invite-accepted')).toContainText(words.accepted);

    // Switch to the team from the header, as any page would.
    await financePage.goto('/events');
    await expect(financePage.getByTestId('team-switcher-name')).not.toHaveText(teamName);
    await financePage.getByTestId('team-switcher').click();
    await financePage.getByTestId('team-switcher-menu').getByTestId('team-switcher-item').filter({ hasText: teamName }).click();
    await expect(financePage.getByTestId('team-switcher-name')).toHaveText(teamName);
    await expect(financePage.getByText(`Refund Night ${lang}`)).toBeVisible();

    // Finance sees the members, and is offered nothing it may not do.
    await financePage.goto('/team');
    await expect(financePage.getByTestId('member-row')).toHaveCount(2);
    await expect(financePage.getByTestId('invite-form')).toHaveCount(0);
    await expect(financePage.getByTestId('member-role-select')).toHaveCount(0);
    await shot(financePage, `page-finance-${lang}-${words.viewport.width}`);

    // The attendee list offers finance neither cancelling nor checking in (attendees:write, checkin).
    await financePage.goto(`/events/${eventId}/attendees`);
    await expect(financePage.getByTestId('attendee-row')).toHaveCount(1);
    await expect(financePage.getByTestId('attendee-cancel')).toHaveCount(0);
    await expect(financePage.getByTestId('attendee-check-in')).toHaveCount(0);

    // And refunds the order.
    const orders = new OrdersPage(financePage);
    await orders.goto(eventId);
    await orders.refundButton(orders.rows().first()).click();
    await expect(orders.refundDialog()).toBeVisible();
    await orders.refundConfirm().click();
    await expect(orders.refundDone()).toBeVisible();
    await invitee.close();
  });
}

// The Team page's four confirmations (components/ui/use-confirmed-action.ts):
// each opens from its row's button, Keep closes it with the focus back on that
// button, and Confirm does it and reads the page again; leaving takes the
// member out to their own events. In English at 1280 px.
test('the owner changes a role, revokes an invitation and removes a member after confirming; a member leaves the team', async ({ page, api, browser, baseURL, organiser }) => {
  test.slow();
  await page.context().addCookies([{ name: 'NEXT_LOCALE', value: 'en', url: baseURL ?? '' }]);
  const staying = await joinedMember(baseURL ?? '', api, organiser.id, 'manager', 'Mila Manager');
  await staying.dispose();
  const removed = await joinedMember(baseURL ?? '', api, organiser.id, 'door', 'Dmitri Door');
  await removed.dispose();
  const invited = `e2e-pending-${randomUUID().slice(0, 8)}@example.com`;
  await inviteViaApi(api, organiser.id, invited, 'door');

  await page.goto('/team');
  const rowOf = (email: string) => page.getByTestId('member-row').filter({ hasText: email });
  await expect(page.getByTestId('member-row')).toHaveCount(3);

  // A role: picked in the row, asked, confirmed.
  await rowOf(staying.email).getByTestId('member-role-select').selectOption('door');
  await rowOf(staying.email).getByTestId('member-change-role').click();
  const roleDialog = page.getByTestId('change-role-dialog');
  await expect(roleDialog).toContainText('Mila Manager');
  await expect(roleDialog).toContainText('Door staff');
  await roleDialog.getByTestId('change-role-confirm').click();
  await expect(roleDialog).toBeHidden();
  await expect(rowOf(staying.email)).toHaveAttribute('data-role', 'door');

  // An invitation: Keep first (nothing changes, the focus is back on Revoke), then revoked.
  const revoke = page.getByTestId('invitation-row').filter({ hasText: invited }).getByTestId('invitation-revoke');
  await revoke.click();
  const revokeDialog = page.getByTestId('revoke-invitation-dialog');
  await expect(revokeDialog).toContainText(invited);
  await revokeDialog.getByTestId('revoke-invitation-keep').click();
  await expect(revokeDialog).toBeHidden();
  await expect(revoke).toBeFocused();
  await revoke.click();
  await revokeDialog.getByTestId('revoke-invitation-confirm').click();
  await expect(page.getByTestId('invitations-empty')).toBeVisible();

  // A member removed.
  await rowOf(removed.email).getByTestId('member-remove').click();
  const removeDialog = page.getByTestId('remove-member-dialog');
  await expect(removeDialog).toContainText('Dmitri Door');
  await removeDialog.getByTestId('remove-member-confirm').click();
  await expect(removeDialog).toBeHidden();
  await expect(page.getByTestId('member-row')).toHaveCount(2);
  await expect(rowOf(removed.email)).toHaveCount(0);

  // The member, door staff now, signs in, switches to the team (no credits or billing in the header: not the door's), and leaves it.
  const memberContext = await browser.newContext({ baseURL, locale: 'en-US', viewport: { width: 1280, height: 800 } });
  const signedIn = await memberContext.request.post('/api/auth/sign-in', {
    data: { email: staying.email, password: E2E_PASSWORD },
    headers: { 'x-forwarded-for': clientAddress() },
  });
  expect(signedIn.status(), await signedIn.text()).toBe(200);
  const memberPage = await memberContext.newPage();
  await memberPage.goto('/events');
  await memberPage.getByTestId('team-switcher').click();
  await memberPage.locator(`[data-testid="team-switcher-item"][data-team-id="${organiser.id}"]`).click();
  await expect(memberPage.getByTestId('team-switcher')).toHaveAttribute('data-team-id', organiser.id);
  await expect(memberPage.getByTestId('credit-balance')).toHaveCount(0);
  await expect(memberPage.getByRole('link', { name: 'Billing' })).toHaveCount(0);
  await memberPage.goto('/team');
  await memberPage.getByTestId('team-leave').click();
  await memberPage.getByTestId('leave-team-dialog').getByTestId('leave-team-confirm').click();
  await memberPage.waitForURL((url) => url.pathname === '/events');
  await expect(memberPage.getByTestId('team-switcher')).not.toHaveAttribute('data-team-id', organiser.id);
  await memberContext.close();

  await page.reload();
  await expect(page.getByTestId('member-row')).toHaveCount(1);
});
