import { describe, expect, it } from 'vitest';
import { FEW_SEATS, seatsLeftOf, seatsNotice } from './schemas';

describe('what the public is told of the seats left', () => {
  it('says nothing while plenty are left: never "0 of 25 taken"', () => {
    expect(seatsNotice(25, 25)).toBeNull();
    expect(seatsNotice(11, 25)).toBeNull();
  });

  it(`says "only N left" at ${FEW_SEATS} or fewer, or a tenth of a large capacity`, () => {
    expect(seatsNotice(10, 25)).toEqual({ kind: 'few', left: 10 });
    expect(seatsNotice(1, 25)).toEqual({ kind: 'few', left: 1 });
    expect(seatsNotice(100, 1000)).toEqual({ kind: 'few', left: 100 });
    expect(seatsNotice(101, 1000)).toBeNull();
  });

  it('says sold out at none left', () => {
    expect(seatsNotice(0, 25)).toEqual({ kind: 'soldOut' });
  });

  it("counts no more than the ticket types on sale offer together, and the event's seats when they offer more", () => {
    // 25 seats, 3 held: 22 left of the event; the types (capped by their own quantities) offer 19.
    expect(seatsLeftOf(22, [12, 7])).toBe(19);
    expect(seatsLeftOf(5, [12, 7])).toBe(5);
    expect(seatsLeftOf(22, [])).toBe(22);
    expect(seatsLeftOf(22)).toBe(22);
  });
});
