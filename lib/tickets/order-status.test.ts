import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES } from '@/lib/db/enums';
import { canMoveOrder, ORDER_TRANSITIONS } from './order-status';

describe('order status transitions', () => {
  it('names every status, and only statuses', () => {
    expect(Object.keys(ORDER_TRANSITIONS).sort()).toEqual([...ORDER_STATUSES].sort());
    for (const targets of Object.values(ORDER_TRANSITIONS)) for (const to of targets) expect(ORDER_STATUSES).toContain(to);
  });

  it('lets a pending order be paid, run out, be cancelled or refunded', () => {
    for (const to of ['confirmed', 'expired', 'cancelled', 'refunded'] as const) expect(canMoveOrder('pending_payment', to)).toBe(true);
  });

  it('lets a late payment confirm or refund an expired or cancelled order, and nothing else', () => {
    for (const from of ['expired', 'cancelled'] as const) {
      expect(canMoveOrder(from, 'confirmed')).toBe(true);
      expect(canMoveOrder(from, 'refunded')).toBe(true);
      expect(canMoveOrder(from, 'pending_payment')).toBe(false);
    }
    expect(canMoveOrder('expired', 'cancelled')).toBe(false);
    expect(canMoveOrder('cancelled', 'expired')).toBe(false);
  });

  it('ends a confirmed order refunded (or cancelled, free), never back to pending or expired', () => {
    expect(canMoveOrder('confirmed', 'refunded')).toBe(true);
    expect(canMoveOrder('confirmed', 'cancelled')).toBe(true);
    expect(canMoveOrder('confirmed', 'pending_payment')).toBe(false);
    expect(canMoveOrder('confirmed', 'expired')).toBe(false);
  });

  it('never moves a refunded order, and staying put is always allowed', () => {
    for (const to of ORDER_STATUSES) expect(canMoveOrder('refunded', to)).toBe(to === 'refunded');
    for (const status of ORDER_STATUSES) expect(canMoveOrder(status, status)).toBe(true);
  });
});
