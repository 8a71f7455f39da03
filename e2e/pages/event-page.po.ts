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

  deleteButton() {
    return this.page.getByRole('button', { name: 'Delete draft', exact: true });
  }

  cancelEventButton() {
    return this.page.getByRole('button', { name: 'Cancel event', exact: true });
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
