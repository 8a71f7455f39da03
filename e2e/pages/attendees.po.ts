import { expect, type Locator, type Page } from '@playwright/test';

type Status = 'confirmed' | 'waitlisted' | 'cancelled';

/** The organiser's attendee list, /events/:id/attendees (English labels). */
export class AttendeesPage {
  constructor(readonly page: Page) {}

  async goto(eventId: string, query = '') {
    await this.page.goto(`/events/${eventId}/attendees${query}`);
    await this.ready();
  }

  /** Hydrated: the search and the buttons answer (before that, typing would be lost). */
  async ready() {
    // Generous: on a loaded machine hydration can take several seconds.
    await expect(this.page.locator('[data-testid="attendees-list"][data-hydrated="true"]')).toBeVisible({ timeout: 30_000 });
  }

  async reload() {
    await this.page.reload();
    await this.ready();
  }

  search() {
    return this.page.getByRole('searchbox', { name: 'Search by name or email' });
  }

  tab(status: Status | 'all') {
    return this.page.getByTestId(`attendees-tab-${status}`);
  }

  count(status: Status | 'all') {
    return this.page.getByTestId(`attendees-count-${status}`);
  }

  rows() {
    return this.page.getByTestId('attendee-row');
  }

  /** The row of the registration with this email. */
  row(email: string): Locator {
    return this.rows().filter({ has: this.page.getByTestId('attendee-email').getByText(email, { exact: true }) });
  }

  checkInButton(name: string) {
    return this.page.getByRole('button', { name: `Check in ${name}`, exact: true });
  }

  cancelButton(name: string) {
    return this.page.getByRole('button', { name: `Cancel registration of ${name}`, exact: true });
  }

  cancelDialog() {
    return this.page.getByTestId('cancel-registration-dialog');
  }

  exportLink() {
    return this.page.getByRole('link', { name: 'Export CSV', exact: true });
  }

  loadMore() {
    return this.page.getByRole('button', { name: 'Load more', exact: true });
  }

  empty() {
    return this.page.getByTestId('attendees-empty');
  }
}
