import type { Locator, Page } from '@playwright/test';

/** A public event's ticket picker and order form, /e/:slug; fields by their visible labels, in the page's language. */
export class TicketPickerPage {
  constructor(readonly page: Page) {}

  async goto(slug: string) {
    await this.page.goto(`/e/${slug}`);
  }

  ticketType(name: string): Locator {
    return this.page.getByTestId('ticket-type').filter({ hasText: name });
  }

  async choose(name: string, quantity: number) {
    await this.ticketType(name).getByTestId('ticket-quantity').selectOption(String(quantity));
  }

  total() {
    return this.page.getByTestId('order-total');
  }

  /** The buyer's name and email; the labels are 'Name' and 'Email' in English, 'Имя' and 'Эл. почта' in Russian. */
  async fillBuyer({ name, email, nameLabel = 'Name', emailLabel = 'Email' }: { name: string; email: string; nameLabel?: string; emailLabel?: string }) {
    await this.page.getByLabel(nameLabel).fill(name);
    await this.page.getByLabel(emailLabel).fill(email);
  }

  submitButton() {
    return this.page.getByTestId('order-submit');
  }
}

/** The TEST provider's payment page, /o/<token>/pay. */
export class TestPaymentPage {
  constructor(readonly page: Page) {}

  summary() {
    return this.page.getByTestId('test-pay-summary');
  }

  payButton() {
    return this.page.getByTestId('test-pay-pay');
  }

  /** "Cancel payment": the guest cancels the order (as on the order's page). */
  cancelButton() {
    return this.page.getByTestId('test-pay-cancel');
  }

  /** The spoken status line: what the payment is doing while it runs. */
  progress() {
    return this.page.getByTestId('payment-progress');
  }
}

/** A guest's order, /o/<token>: its status, receipt and tickets. */
export class OrderPage {
  constructor(readonly page: Page) {}

  /** Carries data-order-status. */
  order() {
    return this.page.getByTestId('order-page');
  }

  status() {
    return this.page.getByTestId('order-status');
  }

  receiptTotal() {
    return this.page.getByTestId('receipt-total');
  }

  /** One per ticket, with data-ticket-id, data-ticket-status and data-reference. */
  tickets() {
    return this.page.locator('[data-ticket-id]');
  }

  receipt() {
    return this.page.getByTestId('receipt');
  }

  /** "You're going", once paid. */
  going() {
    return this.page.getByTestId('order-going');
  }

  mapLink() {
    return this.page.getByTestId('order-map');
  }

  printButton() {
    return this.page.getByTestId('print-tickets');
  }
}

/** The ticket types on the organiser's event page, /events/:id (English labels). */
export class TicketTypesSection {
  constructor(readonly page: Page) {}

  rows(): Locator {
    return this.page.getByTestId('ticket-type-row');
  }

  row(name: string): Locator {
    return this.rows().filter({ hasText: name });
  }

  sold(name: string) {
    return this.row(name).getByTestId('ticket-type-sold');
  }

  available(name: string) {
    return this.row(name).getByTestId('ticket-type-available');
  }

  salesEnd(name: string) {
    return this.row(name).getByTestId('ticket-type-sales-end');
  }

  async edit(name: string) {
    await this.row(name).getByTestId('ticket-type-edit').click();
  }

  quantity() {
    return this.page.getByLabel('Quantity');
  }

  salesEndField() {
    return this.page.getByLabel(/^Sales end/);
  }

  /** Adds a type, or saves the one being edited. */
  async save() {
    await this.page.getByTestId('ticket-type-add').click();
  }

  error() {
    return this.page.getByTestId('ticket-type-error');
  }

  ordersLink() {
    return this.page.getByTestId('event-orders-link');
  }
}

/** The organiser's orders of an event, /events/:id/orders, and its refund dialog. */
export class OrdersPage {
  constructor(readonly page: Page) {}

  async goto(eventId: string) {
    await this.page.goto(`/events/${eventId}/orders`);
  }

  rows() {
    return this.page.getByTestId('order-row');
  }

  /** The orders in this status (rows carry data-order-status). */
  withStatus(status: string) {
    return this.page.locator(`[data-order-status="${status}"]`);
  }

  refundButton(row: Locator) {
    return row.getByTestId('order-refund');
  }

  totalPaid() {
    return this.page.getByTestId('total-paid');
  }

  totalRefunded() {
    return this.page.getByTestId('total-refunded');
  }

  totalNet() {
    return this.page.getByTestId('total-net');
  }

  refundProgress() {
    return this.page.getByTestId('refund-progress');
  }

  refundDialog() {
    return this.page.getByTestId('refund-dialog');
  }

  refundConfirm() {
    return this.page.getByTestId('refund-confirm');
  }

  refundDone() {
    return this.page.getByTestId('refund-done');
  }

  refundClose() {
    return this.page.getByTestId('refund-close');
  }
}
