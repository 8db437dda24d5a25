// Courier detection from the rules table, S10 check digits, and the waybill / id / unknown classification.
import { describe, expect, it } from 'vitest';
import { classifyScan, detectCourier, isValidEmsDomestic, isValidS10, s10CheckDigit, type Confidence } from '../../../src/common/waybill';

describe('S10 check digit', () => {
  it.each([
    ['EB000717595HK', true],
    ['EB000717594HK', false],
    ['RB123456785GB', true],
    ['RB123456784GB', false],
    ['EB00071759HK', false],
    ['eb000717595hk', false],
  ])('%s valid=%s', (value, valid) => {
    expect(isValidS10(value)).toBe(valid);
  });

  it('maps 10 to 0 and 11 to 5', () => {
    expect(s10CheckDigit('00071759')).toBe(5);
    expect(s10CheckDigit('00000008')).toBe(0); // 56 mod 11 = 1 -> 10 -> 0
    expect(s10CheckDigit('00000000')).toBe(5); // 0 mod 11 = 0 -> 11 -> 5
    expect(s10CheckDigit('12345678')).toBe(5);
    expect(() => s10CheckDigit('1234567')).toThrow();
  });

  it('checks domestic 13-digit EMS on digits 3-10 with the check at digit 11', () => {
    expect(isValidEmsDomestic('1100071759500')).toBe(true);
    expect(isValidEmsDomestic('1199071759599')).toBe(true);
    expect(isValidEmsDomestic('1100071759400')).toBe(false);
    expect(isValidEmsDomestic('9100071759500')).toBe(false);
  });
});

describe('detectCourier', () => {
  const first = (value: string) => detectCourier(value)[0];
  it.each<[string, number, Confidence, string]>([
    ['SF1234567890123', 4, 'high', 'sf'],
    ['JDVA00000000001', 14, 'high', 'jd'],
    ['JT1234567890123', 109, 'high', 'jt'],
    ['YT1234567890123', 6, 'high', 'yto'],
    ['YT1234567890123456', 9999, 'medium', 'yunexpress'],
    ['DPK123456789012', 53, 'high', 'deppon'],
    ['ZJS123456789012', 10, 'medium', 'zjs'],
    ['KY4000123456789', 25, 'medium', 'ky'],
    ['EB000717595HK', 2, 'high', 's10'],
    ['RB123456785GB', 2, 'high', 's10'],
    ['EB000717594HK', 2, 'low', 's10'],
    ['75312345678901', 9, 'medium', 'zto'],
    ['773012345678901', 3, 'medium', 'sto'],
    ['77301234567890', 3, 'low', 'sto-14'],
    ['312345678901234', 11, 'medium', 'yunda'],
    ['1100071759500', 2, 'high', 'ems-domestic'],
    ['9876543210123', 8, 'medium', 'post-parcel'],
    ['123456789012', 4, 'low', 'sf-12'],
  ])('%s -> courier %i (%s, rule %s)', (value, code, confidence, ruleId) => {
    expect(first(value)).toMatchObject({ courierCode: code, confidence, ruleId });
  });

  it('YT + 16 digits is YunExpress and never YTO; YT + 13 digits is YTO', () => {
    expect(detectCourier('YT1234567890123456').map((c) => c.courierCode)).not.toContain(6);
    expect(detectCourier('YT1234567890123').map((c) => c.courierCode)).toEqual([6]);
  });

  it('boosts domestic EMS when the check digit passes and demotes it when it fails', () => {
    expect(first('1100071759500')).toMatchObject({ courierCode: 2, confidence: 'high', reason: 'check_digit_valid' });
    const failing = detectCourier('1100071759400');
    const ems = failing.find((c) => c.courierCode === 2);
    expect(ems).toMatchObject({ confidence: 'low', reason: 'check_digit_invalid' });
    expect(failing.map((c) => c.courierCode)).toContain(11); // also a legacy Yunda shape
  });

  it('gives 12-digit numerics a low-confidence ranked list of several couriers', () => {
    const list = detectCourier('123456789012');
    expect(list.map((c) => c.courierCode)).toEqual([4, 40, 43, 15]);
    expect(list.every((c) => c.confidence === 'low' && c.reason === 'ambiguous_shape')).toBe(true);
  });

  it('offers related Kuaishou codes after the main one, one entry per courier', () => {
    expect(detectCourier('JDVA00000000001').map((c) => [c.courierCode, c.confidence])).toEqual([
      [14, 'high'],
      [136, 'low'],
      [137, 'low'],
    ]);
    expect(detectCourier('DPK123456789012').map((c) => c.courierCode)).toEqual([53, 17]);
  });

  it('puts a payload hint first even for a shape that alone is ambiguous', () => {
    const list = detectCourier('123456789012', { courierHint: 4 });
    expect(list[0]).toMatchObject({ courierCode: 4, confidence: 'high', reason: 'payload_hint', courierName: '顺丰速运' });
    expect(list.filter((c) => c.courierCode === 4)).toHaveLength(1);
    expect(detectCourier('ABC', { courierHint: 123456 })).toEqual([]);
  });

  it('returns nothing for unknown shapes', () => {
    expect(detectCourier('ABC123')).toEqual([]);
    expect(detectCourier('')).toEqual([]);
  });
});

describe('classifyScan', () => {
  it.each([
    ['SF1234567890123', 'waybill', false],
    ["MMM={'k1':'x','k5':'123456789012'}", 'waybill', false],
    ['1234567890123456', 'maybe_id', true],
    ['2345678901234567890', 'maybe_id', true],
    ['773012345678901', 'maybe_id', true],
    ['12345678901234567890', 'unknown', false],
    ['ABC123', 'unknown', false],
    ['00012345678901234567', 'rejected', false],
    ['说法', 'rejected', false],
  ] as const)('%s -> %s', (raw, kind, idLike) => {
    const result = classifyScan(raw);
    expect(result.kind).toBe(kind);
    expect(result.idLike).toBe(idLike);
  });

  it('keeps waybill candidates for id-like numbers so the desk can fall back to them', () => {
    const result = classifyScan('773012345678901');
    expect(result.candidates[0]).toMatchObject({ courierCode: 3 });
  });

  it('takes the courier from an SF QR payload', () => {
    const result = classifyScan("MMM={'k1':'x','k5':'123456789012'}");
    expect(result.normalized).toMatchObject({ ok: true, value: '123456789012', courierHint: 4, source: 'sf-qr' });
    expect(result.candidates[0]).toMatchObject({ courierCode: 4, reason: 'payload_hint' });
  });
});
