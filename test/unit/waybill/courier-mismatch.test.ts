// The courier-mismatch rule the waybill dialog shows before the upload and the core records: one function.
import { describe, expect, it } from 'vitest';
import { courierMismatch, detectCourier } from '../../../src/common/waybill';

describe('courierMismatch', () => {
  it('is true when the number points to other couriers than the chosen one', () => {
    const candidates = detectCourier('SF1234567890999');
    expect(candidates.length).toBeGreaterThan(0);
    const sf = candidates[0]!.courierCode;
    expect(courierMismatch(candidates, sf)).toBe(false);
    expect(courierMismatch(candidates, sf + 1_000)).toBe(true);
  });

  it('is false for an unknown shape (that is its own warning)', () => {
    expect(courierMismatch([], 4)).toBe(false);
  });
});
