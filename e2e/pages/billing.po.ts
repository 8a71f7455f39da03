import type { Page } from '@playwright/test';

/** The organiser's billing page, /billing: the balance, the packs, the purchases and the credit history. */
export class BillingPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto('/billing');
  }

  /** One row per checkout, with data-status. */
  purchases() {
    return this.page.getByTestId('purchase');
  }

  ledger() {
    return this.page.getByTestId('ledger');
  }

  ledgerRows() {
    return this.ledger().locator('tbody tr');
  }
}
