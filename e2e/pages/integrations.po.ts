import type { Locator, Page } from '@playwright/test';

/** The organiser's integrations, /settings/integrations: API keys and webhook endpoints (English labels). */
export class IntegrationsPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto('/settings/integrations');
  }

  heading(name = 'Integrations') {
    return this.page.getByRole('heading', { level: 1, name });
  }

  // API keys

  apiKeysEmpty() {
    return this.page.getByTestId('api-keys-empty');
  }

  apiKeyName() {
    return this.page.getByLabel('Key name');
  }

  async createApiKey() {
    await this.page.getByTestId('api-key-create').click();
  }

  apiKeyNameError() {
    return this.page.getByTestId('api-key-name-error');
  }

  /** The new key's secret, shown once. */
  apiKeySecret() {
    return this.page.getByTestId('api-key-secret');
  }

  apiKeySecretValue() {
    return this.page.getByTestId('api-key-secret-value').inputValue();
  }

  async dismissApiKeySecret() {
    await this.page.getByTestId('api-key-secret-done').click();
  }

  apiKeyRows() {
    return this.page.getByTestId('api-key-row');
  }

  apiKeyLastUsed() {
    return this.page.getByTestId('api-key-last-used');
  }

  revokeApiKeyButton() {
    return this.page.getByTestId('api-key-revoke');
  }

  revokeDialog() {
    return this.page.getByTestId('revoke-key-dialog');
  }

  async confirmRevoke() {
    await this.page.getByTestId('revoke-key-confirm').click();
  }

  // Webhooks

  webhooksEmpty() {
    return this.page.getByTestId('webhooks-empty');
  }

  async createWebhook(url: string, eventType: string) {
    await this.page.getByLabel('Endpoint URL').fill(url);
    await this.page.getByTestId(`webhook-event-${eventType}`).check();
    await this.page.getByTestId('webhook-create').click();
  }

  /** The new endpoint's signing secret, shown once. */
  webhookSecretValue() {
    return this.page.getByTestId('webhook-secret-value').inputValue();
  }

  endpoints() {
    return this.page.getByTestId('webhook-endpoint');
  }

  /** 'Enabled' or 'Disabled'; within one endpoint, or the page's only one. */
  webhookStatus(endpoint: Locator | Page = this.page) {
    return endpoint.getByTestId('webhook-status');
  }

  webhookDisabledNote() {
    return this.page.getByTestId('webhook-disabled-note');
  }

  async sendTestEvent(endpoint: Locator) {
    await endpoint.getByTestId('webhook-send-test').click();
  }

  async toggleDeliveries() {
    await this.page.getByTestId('webhook-toggle-deliveries').click();
  }

  /** Delivery rows, newest first, with data-status; within one endpoint, or on the whole page. */
  deliveryRows(endpoint: Locator | Page = this.page) {
    return endpoint.getByTestId('webhook-delivery-row');
  }

  deliveryCode(row: Locator) {
    return row.getByTestId('webhook-delivery-code');
  }

  deliveryAttempts(within: Locator | Page = this.page) {
    return within.getByTestId('webhook-delivery-attempts');
  }

  async retryDelivery() {
    await this.page.getByTestId('webhook-delivery-retry').click();
  }

  async deleteWebhook() {
    await this.page.getByTestId('webhook-delete').click();
    await this.page.getByTestId('delete-webhook-confirm').click();
  }
}
