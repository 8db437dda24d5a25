// The pcursor list: window rules, cursor paging to "nomore" without duplicates or gaps, sort, queryType, type.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/main/sim/index';
import { call, testClock } from './signed-request';

const LIST = 'open.seller.order.refund.pcursor.list';
const DAY = 86_400_000;
const N = 1800;
let sim: RunningSimulator;
const clock = testClock();

beforeAll(async () => {
  sim = await startSimulator({ seed: 'list', afterSales: N, now: clock.now, qpsPerApi: 100_000 });
});
afterAll(async () => {
  await sim.close();
});

interface Row {
  refundId: string;
  createTime: number;
  updateTime: number;
  status: number;
}

async function all(q: Record<string, number>, pageSize: number): Promise<Row[]> {
  const rows: Row[] = [];
  let pcursor = '';
  for (let guard = 0; guard < 1000; guard += 1) {
    const r = await call(sim, LIST, { ...q, pageSize, currentPage: 1, pcursor });
    expect(r.body.result, r.text).toBe(1);
    const list = r.body.data.refundOrderInfoList as Row[];
    expect(list.length).toBeLessThanOrEqual(pageSize);
    rows.push(...list.map((x) => ({ ...x, refundId: String(x.refundId) })));
    pcursor = r.body.data.pcursor;
    if (pcursor === 'nomore') return rows;
    expect(list.length).toBe(pageSize);
  }
  throw new Error('no end');
}

describe('sim list', () => {
  it('enforces the window rules', async () => {
    const now = clock.now();
    const q = (b: number, e: number, extra = {}) =>
      call(sim, LIST, { beginTime: b, endTime: e, type: 9, queryType: 1, pageSize: 10, currentPage: 1, pcursor: '', ...extra });
    expect((await q(now - DAY - 1, now)).body.result).toBe(300004);
    expect((await q(now, now)).body.result).toBe(300003);
    expect((await q(now, now - 5)).body.result).toBe(300003);
    expect((await q(now - 91 * DAY, now - 90.5 * DAY)).body.result).toBe(300005);
    expect((await q(now - DAY, now, { pageSize: 101 })).body.result).toBe(11);
    expect((await q(now - DAY, now, { pcursor: 'garbage' })).body.result).toBe(11);
    expect((await q(now - DAY, now, { type: 7 })).body.result).toBe(300002);
    sim.control.setMaxWindowMs(6 * 3_600_000);
    expect((await q(now - DAY, now)).body.result).toBe(300004);
    expect((await q(now - 6 * 3_600_000, now)).body.result).toBe(1);
    sim.control.setMaxWindowMs(DAY);
    expect((await q(now - DAY, now, { pcursor: 'nomore' })).body.data).toEqual({ pcursor: 'nomore', refundOrderInfoList: [] });
  });

  it('pages every after-sale exactly once across 90 daily windows', async () => {
    const now = clock.now();
    const seen = new Map<string, number>();
    for (let d = 0; d < 90; d += 1) {
      const e = now - d * DAY;
      const b = Math.max(e - DAY, now - 90 * DAY);
      // Inclusive bounds: shift the end back by 1 ms so adjacent windows do not overlap.
      const rows = await all({ beginTime: b, endTime: e - 1, type: 9, queryType: 1, sort: 2 }, 100);
      for (const r of rows) seen.set(r.refundId, (seen.get(r.refundId) ?? 0) + 1);
    }
    expect(seen.size).toBe(N);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });

  it('honours sort, page size and queryType without duplicates or gaps', async () => {
    const now = clock.now();
    const q = { beginTime: now - 3 * DAY, endTime: now - 2 * DAY, type: 9, queryType: 2 };
    const asc = await all({ ...q, sort: 2 }, 7);
    const desc = await all({ ...q, sort: 1 }, 100);
    expect(asc.length).toBeGreaterThan(10);
    expect(new Set(asc.map((r) => r.refundId)).size).toBe(asc.length);
    expect(desc.map((r) => r.refundId)).toEqual([...asc].reverse().map((r) => r.refundId));
    for (let k = 1; k < asc.length; k += 1) expect(asc[k]!.updateTime).toBeGreaterThanOrEqual(asc[k - 1]!.updateTime);
    for (const r of asc) expect(r.updateTime >= q.beginTime && r.updateTime <= q.endTime).toBe(true);
    const waiting = await all({ ...q, type: 8 }, 50);
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every((r) => r.status < 50)).toBe(true);
    expect(waiting.length).toBeLessThan(asc.length);
    const only40 = await all({ ...q, status: 40 }, 50);
    expect(only40.every((r) => r.status === 40)).toBe(true);
  });

  it('an updated after-sale moves to its new update time (incremental sync sees it)', async () => {
    const target = sim.control.findAfterSales({ status: 30, handlingWay: 1 }, 1)[0]!;
    clock.advance(60_000);
    const after = sim.control.buyerShips(target.refundId);
    expect(after.status).toBe(40);
    expect(after.updateTime).toBeGreaterThan(target.updateTime);
    const now = clock.now();
    const rows = await all({ beginTime: now - 120_000, endTime: now + 1, type: 9, queryType: 2 }, 20);
    expect(rows.map((r) => r.refundId)).toContain(target.refundId);
    const old = await all({ beginTime: target.updateTime - 1, endTime: target.updateTime + 1, type: 9, queryType: 2 }, 20);
    expect(old.map((r) => r.refundId)).not.toContain(target.refundId);
  });
});
