// Every organiser table on a 390 px phone: the rows are stacked cards, so each
// row's buttons and links lie inside the viewport (not scrolled off to the
// right of a wide table), and the page never scrolls sideways.
import type { Locator, Page } from '@playwright/test';
import { AttendeesPage } from '../pages/attendees.po';
import { BillingPage } from '../pages/billing.po';
import { EventsPage } from '../pages/events.po';
import { IntegrationsPage } from '../pages/integrations.po';
import { OrdersPage, TicketTypesSection } from '../pages/tickets.po';
import { expect, test } from '../support/fixtures';
import { LONG_EMAIL, seedOrganiserTables } from '../support/organiser-tables';
import { inviteViaApi, joinedMember } from '../support/teams';

const WIDTH = 390;

test.use({ viewport: { width: WIDTH, height: 844 } });
// Five pages and a dozen requests to fill them, on a machine shared with other runs.
test.slow();

/** Every button and link of every row, each wholly between 0 and 390 px; the rows' count must be `count`. */
async function actionsInView(rows: Locator, count: number) {
  await expect(rows).toHaveCount(count);
  for (const row of await rows.all()) {
    const actions = row.locator('button, a');
    for (const action of await actions.all()) {
      const box = await action.boundingBox();
      expect(box, `${await action.textContent()} is laid out`).not.toBeNull();
      if (!box) continue;
      expect(box.x, `${await action.textContent()} starts inside the viewport`).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, `${await action.textContent()} ends inside the viewport`).toBeLessThanOrEqual(WIDTH);
    }
  }
}

async function noSidewaysScroll(page: Page) {
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(WIDTH);
}

test('attendees, events, orders, ticket types, codes, questions, billing, integrations and team members: every row action inside 390 px, no sideways scroll', async ({ page, api, organiser, baseURL }) => {
  const { freeEventId, ticketedEventId, receiver } = await seedOrganiserTables(api, (n) => organiser.grantCredits(n));
  try {
    const attendees = new AttendeesPage(page);
    await attendees.goto(freeEventId);
    await actionsInView(attendees.rows(), 4);
    // A long email is cut to one line, and whole in its title.
    const email = attendees.row(LONG_EMAIL).getByTitle(LONG_EMAIL);
    await expect(email).toBeVisible();
    expect((await email.boundingBox())?.height).toBeLessThan(30);
    await noSidewaysScroll(page);

    // A ticketed event's attendees add ticket type and order columns.
    await attendees.goto(ticketedEventId);
    await actionsInView(attendees.rows(), 4);
    await expect(attendees.rows().first().getByTestId('attendee-order')).toBeVisible();
    await noSidewaysScroll(page);

    // The events list, with sold and revenue per event.
    const events = new EventsPage(page);
    await events.goto();
    await actionsInView(events.rows(), 2);
    await expect(events.rows().first().getByTestId('event-revenue')).toBeVisible();
    await noSidewaysScroll(page);

    const orders = new OrdersPage(page);
    await orders.goto(ticketedEventId);
    await actionsInView(orders.rows(), 2);
    await noSidewaysScroll(page);

    await page.goto(`/events/${ticketedEventId}`);
    const types = new TicketTypesSection(page);
    await actionsInView(types.rows(), 2);
    await expect(types.row('Standard').getByTestId('ticket-type-edit')).toBeVisible();
    await noSidewaysScroll(page);

    // The same page's discount codes and questions.
    await actionsInView(page.getByTestId('code-row'), 2);
    await actionsInView(page.getByTestId('question-row'), 2);
    await noSidewaysScroll(page);

    const billing = new BillingPage(page);
    await billing.goto();
    await actionsInView(billing.purchases(), 2);
    await actionsInView(billing.ledgerRows(), 2);
    await noSidewaysScroll(page);

    const integrations = new IntegrationsPage(page);
    await integrations.goto();
    await actionsInView(integrations.apiKeyRows(), 2);
    await actionsInView(integrations.endpoints(), 1);
    await integrations.toggleDeliveries();
    await expect(integrations.deliveryRows().first()).toHaveAttribute('data-status', /failed|pending/, { timeout: 15_000 });
    await actionsInView(integrations.deliveryRows(), 1);
    await noSidewaysScroll(page);

    // The team's members (one joined, with the role select and both buttons) and a pending invitation.
    const member = await joinedMember(baseURL ?? '', api, organiser.id, 'manager', 'Konstantin Konstantinopolsky');
    await member.dispose();
    await inviteViaApi(api, organiser.id, LONG_EMAIL, 'door');
    await page.goto('/team');
    await actionsInView(page.getByTestId('member-row'), 2);
    await expect(page.getByTestId('member-row').nth(1).getByTestId('member-remove')).toBeVisible();
    await actionsInView(page.getByTestId('invitation-row'), 1);
    await noSidewaysScroll(page);
  } finally {
    receiver.close();
  }
});
