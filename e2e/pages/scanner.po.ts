import type { Locator, Page } from '@playwright/test';

/** How long the scanner takes a code seen again for the same scan. */
export { SAME_CODE_MS } from '../../components/checkin/verdict';

/** The door scanner, /events/:id/scan (English labels). */
export class ScannerPage {
  constructor(readonly page: Page) {}

  async goto(eventId: string) {
    await this.page.goto(`/events/${eventId}/scan`);
  }

  /** Carries data-phase, data-queued, data-online, data-offline-ready and data-device-id. */
  scanner(): Locator {
    return this.page.getByTestId('scanner');
  }

  network() {
    return this.page.getByTestId('scanner-network');
  }

  /** The answer to the last scan: data-verdict (the device's) and data-server-result. */
  result() {
    return this.page.getByTestId('scan-result');
  }

  resultName() {
    return this.page.getByTestId('scan-result-name');
  }

  /** "Server: …", shown when the server's answer differs from the device's. */
  resultServer() {
    return this.page.getByTestId('scan-result-server');
  }

  queue() {
    return this.page.getByTestId('scanner-queue');
  }

  startCameraButton() {
    return this.page.getByTestId('scanner-start-camera');
  }

  stopCameraButton() {
    return this.page.getByRole('button', { name: 'Stop the camera' });
  }

  manualCode() {
    return this.page.getByTestId('scanner-manual');
  }

  /** Types a code and presses Check, as at a door without a camera. */
  async check(code: string) {
    await this.manualCode().fill(code);
    await this.page.getByTestId('scanner-check').click();
  }

  historyItems() {
    return this.page.getByTestId('scanner-history-item');
  }

  /** The device's verdicts of the recent scans, newest first. */
  historyVerdicts(): Promise<(string | null)[]> {
    return this.historyItems().evaluateAll((items) => items.map((i) => i.getAttribute('data-verdict')));
  }

  deviceId() {
    return this.scanner().getAttribute('data-device-id');
  }
}

/** The organiser's check-in overview, /events/:id/check-in. */
export class CheckinPage {
  constructor(readonly page: Page) {}

  async goto(eventId: string) {
    await this.page.goto(`/events/${eventId}/check-in`);
  }

  /** data-admitted and data-expected. */
  progress() {
    return this.page.getByTestId('checkin-progress');
  }

  noConflicts() {
    return this.page.getByTestId('checkin-no-conflicts');
  }

  /** One row per conflict: the ticket's name as its row header, `conflict-admission` and `conflict-other`. */
  conflicts() {
    return this.page.getByTestId('checkin-conflict');
  }
}
