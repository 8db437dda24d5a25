// Courier table: the shipped JSON is valid, lookups work, and search ranks by alias, name, code and pinyin.
import { describe, expect, it } from 'vitest';
import rawTable from '../../../src/common/couriers/kuaishou-express-codes.json';
import { courierPinyin } from '../../../src/common/couriers/pinyin';
import { courierByCode, couriers, parseCourierTable, searchCouriers } from '../../../src/common/couriers';
import { waybillRules } from '../../../src/common/waybill';

describe('courier table', () => {
  it('parses the shipped JSON with unique codes', () => {
    expect(couriers.length).toBe(rawTable.couriers.length);
    expect(new Set(couriers.map((c) => c.code)).size).toBe(couriers.length);
    expect(courierByCode(4)?.name).toBe('顺丰速运');
    expect(courierByCode('109')?.en).toBe('J&T Express');
    expect(courierByCode(16)).toBeUndefined();
    expect(courierByCode('4x')).toBeUndefined();
  });

  it('refuses a broken table (duplicate code, missing name, non-integer code)', () => {
    const base = { source: 's', note: 'n' };
    expect(() =>
      parseCourierTable({
        ...base,
        couriers: [
          { code: 1, name: 'a' },
          { code: 1, name: 'b' },
        ],
      }),
    ).toThrow(/duplicate/);
    expect(() => parseCourierTable({ ...base, couriers: [{ code: 2 }] })).toThrow();
    expect(() => parseCourierTable({ ...base, couriers: [{ code: 2.5, name: 'x' }] })).toThrow();
  });

  it('every waybill rule and pinyin entry references an existing courier code', () => {
    for (const rule of waybillRules) {
      expect(courierByCode(rule.courierCode), rule.id).toBeDefined();
      for (const related of rule.relatedCodes ?? []) expect(courierByCode(related), `${rule.id} -> ${related}`).toBeDefined();
    }
    for (const p of courierPinyin) {
      expect(courierByCode(p.code), String(p.code)).toBeDefined();
      expect(p.initials).toMatch(/^[a-z]+$/);
      expect(p.full).toMatch(/^[a-z]+$/);
      expect(p.full.startsWith(p.initials[0]!)).toBe(true);
    }
    expect(new Set(courierPinyin.map((p) => p.code)).size).toBe(courierPinyin.length);
  });
});

describe('searchCouriers', () => {
  const top = (q: string) => searchCouriers(q)[0]?.courier.code;
  it.each([
    ['sf', 4],
    ['SF', 4],
    ['ｓｆ', 4],
    ['yt', 6],
    ['zt', 9],
    ['yd', 11],
    ['jd', 14],
    ['jt', 109],
    ['ky', 25],
    ['顺丰', 4],
    ['京东', 14],
    ['韵达', 11],
    ['丹鸟', 113],
    ['Deppon Express', 53],
    ['yunda', 11],
    ['4', 4],
    ['109', 109],
    ['sfsy', 4],
    ['shunfeng', 4],
    ['jtsd', 109],
    ['zykd', 112],
    ['jingdongkuaiyun', 136],
    ['  圆通 ', 6],
  ] as const)('%s -> %i first', (query, code) => {
    expect(top(query)).toBe(code);
  });

  it('ranks an exact match before prefix matches and keeps the related couriers listed', () => {
    const codes = searchCouriers('京东').map((m) => m.courier.code);
    expect(codes[0]).toBe(14);
    expect(codes).toEqual(expect.arrayContaining([136, 137]));
    const yd = searchCouriers('yd').map((m) => m.courier.code);
    expect(yd.indexOf(11)).toBeLessThan(yd.indexOf(7));
    expect(searchCouriers('sf')[0]?.matchedOn).toBe('alias');
    expect(searchCouriers('sfsy')[0]?.matchedOn).toBe('pinyin');
    expect(searchCouriers('109')[0]?.matchedOn).toBe('code');
  });

  it('returns nothing for empty or unmatched queries and honours the limit', () => {
    expect(searchCouriers('')).toEqual([]);
    expect(searchCouriers('   ')).toEqual([]);
    expect(searchCouriers('qqqqzzzz')).toEqual([]);
    expect(searchCouriers('1', 3)).toHaveLength(3);
  });
});
