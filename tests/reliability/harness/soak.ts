// The two longest scenarios (1,000 mails, the 300-guest ticket race) run at a
// tenth of their size in CI and at full size under `npm run test:soak`
// (TEST_SOAK=1), which is run before closing a change that touches them.
export const SOAK = process.env.TEST_SOAK === '1';

/** `full` under `npm run test:soak`, a tenth of it otherwise. */
export function soakSize(full: number): number {
  return SOAK ? full : Math.max(1, Math.round(full / 10));
}
