import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { clientAddress, expect as baseExpect, test } from '../support/fixtures';
import { AttendeesPage } from '../pages/attendees.po';
import { createEventViaApi } from './helpers';

type Registered = { registration: { id: string; status: string; position: number | null } };

/** A guest registering through the public API (no session), from an address of its own. */
async function registerGuest(guest: APIRequestContext, slug: string, name: string, email: string): Promise<Registered> {
  const response = await guest.post(`/api/public/events/${slug}/registrations`, {
    headers: { 'Idempotency-Key': randomUUID(), 'X-Forwarded-For': clientAddress() },
    data: { name, email },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { data: Registered }).data;
}

// Page updates after a search or an action wait on a server render; the machine is shared, so allow for it.
const expect = baseExpect.configure({ timeout: 15_000 });

// Each test drives several pages (and guests beside the organiser) on a machine shared with other runs.
test.slow();

test('the organiser sees new registrations, searches, checks in (a repeat keeps the first time), cancels with promotion and exports the CSV', async ({
  page,
  organiser: _organiser,
  api,
  baseURL,
}) => {
  const event = await createEventViaApi(api, { title: 'Door Night', maxParticipants: 2, timezone: 'Asia/Kathmandu' });
  const guest = await playwrightRequest.newContext({ baseURL });
  const ann = await registerGuest(guest, event.slug, 'Ann Early', 'ann@example.com');
  const formula = await registerGuest(guest, event.slug, '=HYPERLINK("http://evil")', 'formula@example.com');
  const walt = await registerGuest(guest, event.slug, 'Walt Waiting', 'walt@example.com');
  expect(walt.registration).toMatchObject({ status: 'waitlisted', position: 1 });

  const attendees = new AttendeesPage(page);
  await page.goto(`/events/${event.id}`);
  await page.getByTestId('event-attendees-link').click();
  await expect(page).toHaveURL(new RegExp(`/events/${event.id}/attendees$`));
  await attendees.ready();
  await expect(attendees.rows()).toHaveCount(3);
  await expect(attendees.count('all')).toHaveText('3');
  await expect(attendees.count('confirmed')).toHaveText('2');
  await expect(attendees.count('waitlisted')).toHaveText('1');
  await expect(attendees.count('cancelled')).toHaveText('0');
  await expect(attendees.row('walt@example.com').getByTestId('attendee-position')).toHaveText('#1');

  // A registration made while the page is open shows after a reload.
  await registerGuest(guest, event.slug, 'Zoe Late', 'zoe@example.com');
  await attendees.reload();
  await expect(attendees.rows()).toHaveCount(4);
  await expect(attendees.row('zoe@example.com').getByTestId('attendee-position')).toHaveText('#2');

  // Search by part of a name, case-insensitive: kept in the URL, so a reload shows the same list.
  await attendees.search().fill('WALT');
  await expect(page).toHaveURL(/[?&]q=WALT/);
  await expect(attendees.rows()).toHaveCount(1);
  await expect(attendees.row('walt@example.com')).toBeVisible();
  await attendees.reload();
  await expect(attendees.search()).toHaveValue('WALT');
  await expect(attendees.rows()).toHaveCount(1);
  // A tab keeps the search; nothing matches among the cancelled.
  await attendees.tab('cancelled').click();
  await expect(page).toHaveURL(/status=cancelled/);
  await expect(attendees.tab('cancelled')).toHaveAttribute('aria-current', 'page');
  await expect(attendees.empty()).toContainText('Nothing matches');
  await attendees.tab('all').click();
  await expect(attendees.tab('all')).toHaveAttribute('aria-current', 'page');
  await expect(attendees.rows()).toHaveCount(1);
  await attendees.search().fill('');
  await expect(page).not.toHaveURL(/q=/);
  await expect(attendees.rows()).toHaveCount(4);

  // Check in with the keyboard; the button becomes the time.
  await attendees.checkInButton('Ann Early').focus();
  await page.keyboard.press('Enter');
  const checkedIn = attendees.row('ann@example.com').getByTestId('attendee-checked-in');
  await expect(checkedIn).toContainText('Checked in at');
  const firstTime = await checkedIn.getAttribute('data-checked-in-at');
  expect(firstTime).not.toBeNull();
  // A repeat (another attempt, another key) keeps the first time.
  const repeat = await api.post(`/api/events/${event.id}/registrations/${ann.registration.id}/check-in`, { headers: { 'Idempotency-Key': randomUUID() } });
  expect(repeat.status()).toBe(200);
  expect(((await repeat.json()) as { data: { registration: { checkedInAt: string } } }).data.registration.checkedInAt).toBe(firstTime);
  await attendees.reload();
  await expect(attendees.row('ann@example.com').getByTestId('attendee-checked-in')).toHaveAttribute('data-checked-in-at', firstTime ?? '');
  // Waitlisted people cannot be checked in: no button.
  await expect(attendees.checkInButton('Walt Waiting')).toHaveCount(0);

  // Cancel a confirmed registration: the dialog names who gets the seat, then says it happened.
  await attendees.cancelButton('=HYPERLINK("http://evil")').click();
  const dialog = attendees.cancelDialog();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('cancel-registration-next')).toHaveText('Their seat goes to the first person on the waitlist: Walt Waiting.');
  await dialog.getByRole('button', { name: 'Cancel registration', exact: true }).click();
  await expect(dialog.getByTestId('cancel-registration-promotion')).toHaveText('Walt Waiting moved from the waitlist to confirmed.');
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(attendees.row('walt@example.com')).toHaveAttribute('data-status', 'confirmed');
  await expect(attendees.row('formula@example.com')).toHaveAttribute('data-status', 'cancelled');
  await expect(attendees.row('zoe@example.com').getByTestId('attendee-position')).toHaveText('#1');
  await expect(attendees.count('confirmed')).toHaveText('2');
  await expect(attendees.count('cancelled')).toHaveText('1');
  const list = (await (await api.get(`/api/events/${event.id}/registrations?status=cancelled`)).json()) as { data: { registrations: { id: string }[] } };
  expect(list.data.registrations.map((r) => r.id)).toEqual([formula.registration.id]);

  // Export: the downloaded file has the BOM, the header, every row, and the formula neutralised.
  const [download] = await Promise.all([page.waitForEvent('download'), attendees.exportLink().click()]);
  expect(download.suggestedFilename()).toBe(`registrations-${event.id}.csv`);
  const bytes = await readFile(await download.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString('utf8').split('\r\n');
  expect(lines[0]).toBe('id,name,email,status,position,created_at,checked_in_at,cancelled_at');
  expect(lines).toHaveLength(1 + 4 + 1);
  expect(lines[lines.length - 1]).toBe('');
  const rowOf = (email: string) => lines.find((line) => line.includes(`,${email},`)) ?? '';
  expect(rowOf('formula@example.com').startsWith(`${formula.registration.id},"'=HYPERLINK(""http://evil"")",formula@example.com,cancelled,,`)).toBe(true);
  expect(rowOf('ann@example.com')).toContain(`,ann@example.com,confirmed,,`);
  expect(rowOf('ann@example.com').endsWith(`,${firstTime},`)).toBe(true);
  expect(rowOf('zoe@example.com')).toContain(',zoe@example.com,waitlisted,1,');
  await guest.dispose();
});

test('the list pages with Load more, and says so when there is nobody yet', async ({ page, organiser: _organiser, api, baseURL }) => {
  const event = await createEventViaApi(api, { maxParticipants: 30 });
  const attendees = new AttendeesPage(page);
  await attendees.goto(event.id);
  await expect(attendees.empty()).toContainText('No registrations yet');

  const guest = await playwrightRequest.newContext({ baseURL });
  for (let i = 1; i <= 55; i++) await registerGuest(guest, event.slug, `Guest ${String(i).padStart(2, '0')}`, `guest${i}@example.com`);
  await guest.dispose();
  await attendees.reload();
  await expect(attendees.rows()).toHaveCount(50);
  await expect(page.getByTestId('attendees-shown')).toHaveText('50 of 55 shown');
  await attendees.loadMore().click();
  await expect(attendees.rows()).toHaveCount(55);
  await expect(attendees.loadMore()).toHaveCount(0);
  await expect(attendees.rows().last().getByTestId('attendee-name')).toHaveText('Guest 55');
  await expect(attendees.rows().nth(30).getByTestId('attendee-position')).toHaveText('#1');
});
