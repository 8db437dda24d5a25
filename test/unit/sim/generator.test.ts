// World generator: determinism, realistic mixes, waybill shapes, 64-bit ids and speed.
import { describe, expect, it } from 'vitest';
import { COURIERS, isKnownExpressCode, s10CheckDigit } from '../../../src/main/sim/express';
import { WorldGenerator } from '../../../src/main/sim/generator';
import { Rng } from '../../../src/main/sim/prng';
import { World } from '../../../src/main/sim/world';

const ANCHOR = Date.UTC(2025, 4, 20);
const SHAPES: Record<number, RegExp> = {
  4: /^SF\d{13}$/,
  6: /^YT\d{13}$/,
  9: /^7[3-68]\d{12}$/,
  3: /^77\d{13}$/,
  11: /^[34]\d{14}$/,
  14: /^JD[0-9A-Z]{13}$/,
  109: /^JT\d{13}$/,
  2: /^(1\d{12}|[A-Z]{2}\d{9}[A-Z]{2})$/,
  8: /^9\d{12}$/,
  53: /^DP[A-Z]\d{12}$/,
};

function s10Valid(no: string): boolean {
  if (/^[A-Z]{2}\d{9}[A-Z]{2}$/.test(no)) return s10CheckDigit(no.slice(2, 10)) === Number(no[10]);
  if (/^1\d{12}$/.test(no)) return s10CheckDigit(no.slice(2, 10)) === Number(no[10]);
  return false;
}

describe('sim world generator', () => {
  it('S10 check digit matches the public vectors', () => {
    expect(s10CheckDigit('00071759')).toBe(5); // EB000717595HK valid
    expect(s10CheckDigit('00071759')).not.toBe(4); // EB000717594HK invalid
    expect(s10CheckDigit('12345678')).toBe(5); // RB123456785GB valid
  });

  it('same seed gives the same world, another seed another', () => {
    const a = new WorldGenerator(7, 500, ANCHOR);
    const b = new WorldGenerator(7, 500, ANCHOR);
    const c = new WorldGenerator(8, 500, ANCHOR);
    for (const i of [0, 1, 77, 499]) expect(JSON.stringify(a.build(i))).toBe(JSON.stringify(b.build(i)));
    const diff = [0, 1, 2, 3, 4].filter((i) => JSON.stringify(a.build(i)) !== JSON.stringify(c.build(i)));
    expect(diff.length).toBe(5);
    expect(new Rng(1, 2).nextU32()).toBe(new Rng(1, 2).nextU32());
  });

  it('has realistic mixes, shapes and ids', () => {
    const g = new WorldGenerator(42, 4000, ANCHOR);
    const hw = new Map<number, number>();
    const statuses = new Set<number>();
    let big = 0;
    let waybills = 0;
    let claims = 0;
    let insured = 0;
    let ems = 0;
    for (let i = 0; i < 4000; i += 1) {
      const { afterSale: a, order: o } = g.build(i);
      hw.set(a.handlingWay, (hw.get(a.handlingWay) ?? 0) + 1);
      statuses.add(a.status);
      if (BigInt(a.refundId) > 2n ** 53n) big += 1;
      expect(g.indexOfRefund(a.refundId)).toBe(i);
      expect(g.indexOfOrder(a.oid)).toBe(i);
      expect(a.createTime).toBeGreaterThanOrEqual(ANCHOR - 90 * 86_400_000);
      expect(a.updateTime).toBeGreaterThanOrEqual(a.createTime);
      expect(a.updateTime).toBeLessThanOrEqual(ANCHOR);
      expect(a.history[0]?.createTime).toBe(a.createTime);
      for (const w of [...(a.logisticsInfo ? [a.logisticsInfo] : []), ...o.outbound]) {
        waybills += 1;
        expect(isKnownExpressCode(w.expressCode)).toBe(true);
        expect(w.expressNo).toMatch(SHAPES[w.expressCode]!);
        if (w.expressCode === 2) {
          ems += 1;
          expect(s10Valid(w.expressNo)).toBe(true);
        }
      }
      if (a.returnFreightInfo) claims += 1;
      if (o.freight) insured += 1;
      expect(a.skuNick.length).toBeGreaterThan(0);
      expect(o.itemTitle).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(hw.get(1)! / 4000).toBeGreaterThan(0.4);
    expect(hw.get(10)! / 4000).toBeGreaterThan(0.3);
    expect(hw.get(3)! / 4000).toBeGreaterThan(0.03);
    for (const s of [10, 11, 12, 30, 40, 60, 70]) expect(statuses.has(s)).toBe(true);
    expect(big / 4000).toBeGreaterThan(0.3);
    expect(big / 4000).toBeLessThan(0.6);
    expect(waybills).toBeGreaterThan(3000);
    expect(ems).toBeGreaterThan(10);
    expect(claims).toBeGreaterThan(20);
    expect(insured / 4000).toBeGreaterThan(0.3);
    expect(g.indexOfRefund('2140000000000001')).toBe(-1);
    expect(Object.keys(COURIERS).length).toBeGreaterThanOrEqual(8);
  });

  it('builds a 200k world quickly (1M measured in docs/simulator.md)', () => {
    const t0 = performance.now();
    const w = new World(1, 200_000, ANCHOR);
    const ms = performance.now() - t0;
    expect(w.count).toBe(200_000);
    expect(ms).toBeLessThan(5000);
  });
});
