import type { Page } from '@playwright/test';

export class EventsPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto('/events');
  }

  rows() {
    return this.page.getByTestId('event-row');
  }

  row(title: string) {
    return this.rows().filter({ hasText: title });
  }

  emptyState() {
    return this.page.getByTestId('events-empty');
  }

  creditBalance() {
    return this.page.getByTestId('credit-balance');
  }
}
