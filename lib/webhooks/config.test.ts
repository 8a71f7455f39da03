import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE_SECONDS, retryDelayAfter, webhookConfig } from './config';

describe('webhook retry schedule', () => {
  it('retries for at least 24 hours over 8 attempts, then gives up', () => {
    const config = webhookConfig();
    const total = config.retryScheduleMs.reduce((sum, ms) => sum + ms, 0);
    expect(total).toBeGreaterThanOrEqual(24 * 3600_000);
    expect(DEFAULT_RETRY_SCHEDULE_SECONDS).toHaveLength(7);
    expect(retryDelayAfter(1, config, () => 0.5)).toBe(5000);
    expect(retryDelayAfter(7, config, () => 0.5)).toBe(36_000_000);
    expect(retryDelayAfter(8, config, () => 0.5)).toBeNull();
  });

  it('jitters by ±10 %', () => {
    const config = { retryScheduleMs: [10_000] };
    expect(retryDelayAfter(1, config, () => 0)).toBe(9000);
    expect(retryDelayAfter(1, config, () => 1)).toBe(11_000);
  });

  it('keeps the lease at least twice the timeout, so a live worker finishes first', () => {
    process.env.WEBHOOKS_TIMEOUT_MS = '40000';
    process.env.WEBHOOKS_LEASE_MS = '1000';
    try {
      expect(webhookConfig().leaseMs).toBe(80_000);
    } finally {
      delete process.env.WEBHOOKS_TIMEOUT_MS;
      delete process.env.WEBHOOKS_LEASE_MS;
    }
  });
});
