// The desk's hot paths through the real dispatch, with a connected shop (the simulator in its own process), idle
// and during that shop's 90-day backfill, each against its baseline measured in the same interleaved rounds.
import type { Core } from '../src/main/core/core';
import { findByCode } from '../src/main/core/after-sales/lookup';
import { getAfterSale } from '../src/main/core/after-sales/views';
import { whenBackgroundIdle } from '../src/main/core/sync/background';
import { syncShop } from '../src/main/core/sync/engine';
import { Rng } from '../src/main/sim/prng';
import { cursorOf, type AfterSale } from '../src/common/contract/after-sales';
import { normalizeScan } from '../src/common/waybill';
import { refundIdOf } from './dataset';
import { measure, summarize, type Case, type Stats } from './measure';

export async function ok<T>(core: Core, method: string, input: unknown): Promise<T> {
  const answer = await core.dispatch(method, input, 'ipc');
  if (!answer.ok) throw new Error(`${method}: ${answer.error.code} ${answer.error.message}`);
  return answer.data as T;
}

const cycle =
  <T>(pool: T[]) =>
  (i: number): T =>
    pool[i % pool.length]!;

export interface DeskResults {
  idle: Map<string, Stats>;
  backfill: Map<string, Stats>;
  backfillFinished: boolean;
  lists: Map<string, Stats>;
  scanDuringSearch: Stats;
  queueTotal: number;
  queueReached: number;
}

export const RAW = 'baseline: raw indexed point query';
export const READ = 'read path: findByCode + getAfterSale';
export const HIT = 'scan.lookup hit (return waybill)';
export const MISS = 'scan.lookup miss, shop connected';
export const DISPATCH = 'baseline: dispatch settings.get';

export async function deskBench(core: Core, n: number, simShopId: string, rounds: number): Promise<DeskResults> {
  const { db } = core.context;
  const pool = (sql: string) => db.prepare(sql).pluck().all(2_000) as string[];
  const returnCodes = pool(`SELECT return_express_no FROM after_sales WHERE return_express_no IS NOT NULL ORDER BY random() LIMIT ?`);
  const rng = new Rng(n, 99);
  const misses = Array.from({ length: 4_000 }, () => `SF9${rng.digits(12)}`);
  const raw = db.prepare('SELECT * FROM after_sales WHERE return_waybill_norm = ?');
  const norm = (code: string) => {
    const r = normalizeScan(code);
    return r.ok ? r.value : code;
  };
  const scan = (pick: (i: number) => string) => (i: number) => ok(core, 'scan.lookup', { code: pick(i), source: 'scanner' });
  const scanCases: Case[] = [
    { name: RAW, run: (i) => raw.get(norm(returnCodes[i % returnCodes.length]!)) },
    {
      name: READ,
      run: (i) => {
        const found = findByCode(core.context, norm(returnCodes[i % returnCodes.length]!));
        return found?.refundIds.map((id) => getAfterSale(core.context, id));
      },
    },
    { name: HIT, run: scan(cycle(returnCodes)) },
    { name: MISS, run: scan(cycle(misses)) },
  ];
  const idle = await measure(scanCases, rounds, 25);
  await whenBackgroundIdle(core.context);

  // The same, while the connected shop backfills 90 days (first connect).
  let finished = false;
  const backfill = syncShop(core.context, simShopId).then(
    () => (finished = true),
    (error: unknown) => console.error('backfill failed', error),
  );
  const during = await measure(scanCases, rounds, 25);
  const backfillFinished = finished;
  await backfill;
  await whenBackgroundIdle(core.context);

  // Lists and the status bar, against the fixed cost of any dispatch.
  const first = await ok<{ items: AfterSale[]; total: number }>(core, 'afterSales.list', { filter: { deskQueue: true }, limit: 100 });
  const deep = await ok<{ items: AfterSale[] }>(core, 'afterSales.list', {
    filter: { deskQueue: true },
    limit: 1,
    offset: Math.max(0, first.total - 150),
  });
  const tails = returnCodes.map((c) => c.slice(-6));
  const listCases: Case[] = [
    { name: DISPATCH, run: () => ok(core, 'settings.get', {}) },
    { name: 'queue first page (100)', run: () => ok(core, 'afterSales.list', { filter: { deskQueue: true }, limit: 100 }) },
    {
      name: 'queue keyset page (300) near its end',
      run: () => ok(core, 'afterSales.list', { filter: { deskQueue: true }, limit: 300, after: cursorOf(deep.items[0]!) }),
    },
    {
      name: 'whole-cache search, 6-char waybill tail (100)',
      run: (i) => ok(core, 'afterSales.list', { filter: { text: tails[i % tails.length] }, limit: 100 }),
    },
    {
      name: 'whole-cache search, refund id (100)',
      run: (i) => ok(core, 'afterSales.list', { filter: { text: refundIdOf((i * 7919) % n) }, limit: 100 }),
    },
    { name: 'app.info', run: () => ok(core, 'app.info', {}) },
  ];
  const lists = await measure(listCases, rounds, 25);

  // A scan sent while a search runs: both share the core's thread, so the scan waits for the search's end.
  const waits: number[] = [];
  for (let i = 0; i < rounds * 10; i += 1) {
    const search = ok(core, 'afterSales.list', { filter: { text: tails[i % tails.length] }, limit: 100 });
    const start = process.hrtime.bigint();
    await ok(core, 'scan.lookup', { code: returnCodes[i % returnCodes.length], source: 'scanner' });
    waits.push(Number(process.hrtime.bigint() - start) / 1000);
    await search;
  }

  // Every row of the queue is reachable: page it to the end by keyset.
  let reached = first.items.length;
  let last = first.items[first.items.length - 1];
  while (last) {
    const page = await ok<{ items: AfterSale[] }>(core, 'afterSales.list', {
      filter: { deskQueue: true },
      limit: 500,
      after: cursorOf(last),
    });
    reached += page.items.length;
    last = page.items[page.items.length - 1];
  }
  return {
    idle,
    backfill: during,
    backfillFinished,
    lists,
    scanDuringSearch: summarize('scan sent during a search', waits),
    queueTotal: first.total,
    queueReached: reached,
  };
}
