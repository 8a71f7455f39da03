import type { Page } from '@playwright/test';

/** The organiser's event page, /events/:id, and its lifecycle actions (English labels). */
export class EventPage {
  constructor(readonly page: Page) {}

  async goto(eventId: string) {
    await this.page.goto(`/events/${eventId}`);
  }

  status() {
    return this.page.getByTestId('event-status');
  }

  publishButton() {
    return this.page.getByRole('button', { name: 'Publish', exact: true });
  }

  /** The action bar's "More" menu button: delete a draft, cancel a published event. */
  moreButton() {
    return this.page.getByTestId('event-more');
  }

  /** Opens "More" (when closed) and gives its "Delete draft" item. */
  async deleteButton() {
    await this.openMore();
    return this.page.getByRole('menuitem', { name: 'Delete draft', exact: true });
  }

  /** Opens "More" (when closed) and gives its "Cancel event" item. */
  async cancelEventButton() {
    await this.openMore();
    return this.page.getByRole('menuitem', { name: 'Cancel event', exact: true });
  }

  async openMore() {
    if ((await this.moreButton().getAttribute('aria-expanded')) !== 'true') await this.moreButton().click();
  }

  dialog() {
    return this.page.getByRole('dialog');
  }

  /** The confirm button inside the open dialog (same label as the button that opened it). */
  confirmInDialog(name: 'Delete draft' | 'Cancel event') {
    return this.dialog().getByRole('button', { name, exact: true });
  }

  attendeesLink() {
    return this.page.getByTestId('event-attendees-link');
  }

  actionError() {
    return this.page.getByTestId('event-action-error');
  }
}
