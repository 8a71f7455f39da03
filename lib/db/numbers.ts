// Sums of money and counts in Postgres are taken as `bigint` (an `integer` sum
// raises "integer out of range" past 2^31, a large festival's takings in minor
// units), which pg hands back as a string. This turns one into a JSON number,
// exact: a value past 2^53 would be rounded silently, so it throws instead.

/** A bigint column or sum as a number; throws when it is not a safe integer. */
export function safeInteger(value: string | number | bigint | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n) || (typeof value !== 'number' && BigInt(value) !== BigInt(n))) {
    throw new RangeError(`not a safe integer: ${String(value)}`);
  }
  return n;
}
