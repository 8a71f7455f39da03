import { describe, expect, it } from 'vitest';
import { orderFee, refundFee } from './fees';

describe('orderFee', () => {
  it('takes the plan percent rounded half up plus the fixed part per paid ticket', () => {
    // free: 5 % of 1000 = 50, + 2 × 50
    expect(orderFee('free', { total: 1000, paidTickets: 2 })).toBe(150);
    // pro: 2 % of 1000 = 20, + 30
    expect(orderFee('pro', { total: 1000, paidTickets: 1 })).toBe(50);
    // 5 % of 1010 = 50.5 → 51 (half up); 5 % of 1009 = 50.45 → 50
    expect(orderFee('free', { total: 1010, paidTickets: 0 })).toBe(51);
    expect(orderFee('free', { total: 1009, paidTickets: 0 })).toBe(50);
    // 2 % of 25 = 0.5 → 1
    expect(orderFee('pro', { total: 25, paidTickets: 0 })).toBe(1);
  });

  it('is never more than the total, and nothing on a free order', () => {
    expect(orderFee('free', { total: 60, paidTickets: 2 })).toBe(60);
    expect(orderFee('free', { total: 0, paidTickets: 0 })).toBe(0);
  });
});

describe('refundFee', () => {
  it('is the fee in proportion, rounded down, and the last refund takes the rest', () => {
    const fee = 101;
    const paid = 1000;
    const first = refundFee({ fee, paid, amount: 333, earlier: [] });
    expect(first).toBe(33); // 33.633 rounded down
    const second = refundFee({ fee, paid, amount: 333, earlier: [{ amount: 333, fee: first }] });
    expect(second).toBe(33);
    const last = refundFee({ fee, paid, amount: 334, earlier: [{ amount: 333, fee: first }, { amount: 333, fee: second }] });
    expect(first + second + last).toBe(fee);
  });

  it('never gives back more than the fee, whatever the split', () => {
    for (let trial = 0; trial < 200; trial += 1) {
      const paid = 1 + Math.floor(Math.random() * 50_000);
      const fee = Math.floor(Math.random() * (paid + 1));
      const earlier: { amount: number; fee: number }[] = [];
      let left = paid;
      while (left > 0) {
        const amount = Math.min(left, 1 + Math.floor(Math.random() * Math.max(1, paid / 3)));
        const part = refundFee({ fee, paid, amount, earlier });
        expect(part).toBeGreaterThanOrEqual(0);
        earlier.push({ amount, fee: part });
        left -= amount;
        expect(earlier.reduce((n, r) => n + r.fee, 0)).toBeLessThanOrEqual(fee);
      }
      expect(earlier.reduce((n, r) => n + r.fee, 0)).toBe(fee);
    }
  });

  it('gives nothing back without a fee', () => {
    expect(refundFee({ fee: 0, paid: 1000, amount: 1000, earlier: [] })).toBe(0);
  });
});
