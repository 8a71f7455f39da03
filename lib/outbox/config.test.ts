import { describe, expect, it } from 'vitest';
import { messageIdOf, retryDelayMs } from './config';

describe('outbox config', () => {
  it('derives the Message-ID from the row id and the app host, the same every time', () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(messageIdOf(id, 'https://events.example.com:8443')).toBe(`<outbox-${id}@events.example.com>`);
    expect(messageIdOf(id, 'https://events.example.com:8443')).toBe(messageIdOf(id, 'https://events.example.com'));
  });

  it('doubles the retry delay per attempt, within ±20 %, up to the cap', () => {
    const config = { retryBaseMs: 1000, retryMaxMs: 10_000 };
    expect(retryDelayMs(1, config, () => 0.5)).toBe(1000);
    expect(retryDelayMs(2, config, () => 0.5)).toBe(2000);
    expect(retryDelayMs(3, config, () => 0.5)).toBe(4000);
    expect(retryDelayMs(10, config, () => 0.5)).toBe(10_000);
    expect(retryDelayMs(3, config, () => 0)).toBe(3200);
    expect(retryDelayMs(3, config, () => 1)).toBe(4800);
  });
});
