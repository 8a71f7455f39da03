import { describe, expect, it } from 'vitest';
import { afterRefundSucceeded, refundableOf, refundedAmount, refundsIn, refundToWrite, ticketRefundAmount, type RefundAmount } from './refund-amounts';

const refund = (amount: number, status: RefundAmount['status']): RefundAmount => ({ amount, status });

describe('how much an order has back', () => {
  it('counts pending and succeeded refunds, never failed ones', () => {
    const rows = [refund(500, 'succeeded'), refund(300, 'pending'), refund(1000, 'failed')];
    expect(refundedAmount(rows)).toBe(800);
    expect(refundsIn(rows, 'succeeded')).toBe(500);
    expect(refundsIn(rows, 'pending')).toBe(300);
    expect(refundsIn(rows, 'failed')).toBe(1000);
    expect(refundableOf(2000, rows)).toBe(1200);
  });

  it('is nothing for an order without refunds', () => {
    expect(refundedAmount([])).toBe(0);
    expect(refundableOf(1500, [])).toBe(1500);
  });
});

describe('a refund asked for', () => {
  it('takes all that is left when no amount is named (a full refund)', () => {
    expect(refundToWrite(3000, [refund(1000, 'succeeded')])).toEqual({ amount: 2000 });
  });

  it('takes the amount named when it fits (a partial refund), exactly all that is left included', () => {
    expect(refundToWrite(3000, [], 1200)).toEqual({ amount: 1200 });
    expect(refundToWrite(3000, [refund(1200, 'pending')], 1800)).toEqual({ amount: 1800 });
  });

  it('is refused beyond what is left, and when nothing is left, with what is refundable', () => {
    expect(refundToWrite(3000, [refund(2500, 'pending')], 600)).toEqual({ refused: true, refundable: 500 });
    expect(refundToWrite(3000, [refund(3000, 'succeeded')])).toEqual({ refused: true, refundable: 0 });
  });

  it('counts a failed refund as money still to give back', () => {
    expect(refundToWrite(3000, [refund(3000, 'failed')])).toEqual({ amount: 3000 });
  });
});

describe("one ticket's refund", () => {
  it('is its price while other tickets remain, at most what is left', () => {
    expect(ticketRefundAmount({ price: 1000, left: 3000, last: false })).toBe(1000);
    expect(ticketRefundAmount({ price: 1000, left: 400, last: false })).toBe(400);
  });

  it('is all that is left for the last ticket, whatever its price', () => {
    expect(ticketRefundAmount({ price: 1000, left: 2500, last: true })).toBe(2500);
    expect(ticketRefundAmount({ price: 1000, left: 0, last: true })).toBe(0);
  });
});

describe('a refund the provider confirmed', () => {
  it('cancels the ticket it names and leaves the order confirmed while money is still out', () => {
    const rows = [refund(1000, 'succeeded'), refund(2000, 'pending')];
    expect(afterRefundSucceeded(3000, rows, 'ticket-1')).toEqual({ cancelTicket: 'ticket-1', allBack: false });
  });

  it('refunds the order and cancels every ticket once succeeded refunds cover the payment', () => {
    expect(afterRefundSucceeded(3000, [refund(1000, 'succeeded'), refund(2000, 'succeeded')], null)).toEqual({ cancelTicket: null, allBack: true });
  });

  it('frees no seat for pending or failed money', () => {
    expect(afterRefundSucceeded(3000, [refund(3000, 'pending')], null).allBack).toBe(false);
    expect(afterRefundSucceeded(3000, [refund(3000, 'failed')], null).allBack).toBe(false);
  });
});
