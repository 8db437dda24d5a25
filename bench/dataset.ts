// Benchmark data: a deterministic shop history of N after-sales written through the sync store's own upserts.
import type Database from 'better-sqlite3';
import { applyFetched, upsertSummaries } from '../src/main/core/after-sales/store';
import type { OrderInfo, RefundDetail, RefundSummary, Waybill } from '../src/main/core/platform/types';
import { CATALOG } from '../src/main/sim/catalog';
import { outboundWaybill, returnWaybill } from '../src/main/sim/express';
import { Rng } from '../src/main/sim/prng';
import { matchingRules, normalizeScan } from '../src/common/waybill';

const DAY = 86_400_000;
export const BENCH_SHOP = 'bench-shop';

export interface DatasetOptions {
  /** After-sales per day: N after-sales are the last N / rate days of one shop (index 0 is the newest). */
  perDay: number;
  /** The "now" of the history, epoch ms. */
  now: number;
  seed: number;
}

/** Decimal ids above 2^53, as on the platform; the index keeps them unique and stable across sizes. */
export const refundIdOf = (i: number): string => String(2_300_000_000_000_000_000n + BigInt(i) * 7n);
export const orderIdOf = (i: number): string => String(2_500_000_000_000_000_000n + BigInt(i) * 3n);

export interface Generated {
  summary: RefundSummary;
  detail: RefundDetail | null;
  order: OrderInfo;
}

/** Status of a return-and-refund by age: recent ones are spread over the flow, old ones are final (a few stragglers). */
function statusOf(rng: Rng, ageDays: number, handlingWay: number): number {
  if (ageDays > 15)
    return rng.chance(0.003)
      ? rng.pick([30, 40])
      : rng.weighted([
          [60, 85],
          [70, 15],
        ] as const);
  if (handlingWay === 10)
    return rng.weighted([
      [10, 10],
      [60, 80],
      [70, 10],
    ] as const);
  return rng.weighted([
    [10, 5],
    [20, 3],
    [21, 2],
    [22, 5],
    [30, 30],
    [40, 25],
    [50, 5],
    [60, 20],
    [70, 5],
  ] as const);
}

/** Waybills the shared rules recognise (the simulator's courier generators), checked once so the data stays honest. */
function checkedWaybill(w: Waybill): Waybill {
  const n = normalizeScan(w.expressNo);
  if (!n.ok || matchingRules(n.value).length === 0) throw new Error(`generated waybill ${w.expressNo} has no shared shape`);
  return w;
}

export function generate(i: number, options: DatasetOptions): Generated {
  const rng = new Rng(options.seed, i);
  const ageDays = i / options.perDay + rng.next() / options.perDay;
  const updateTime = Math.round(options.now - ageDays * DAY);
  const createTime = updateTime - rng.int(1, 6) * DAY;
  const handlingWay = rng.weighted([
    [1, 60],
    [10, 30],
    [3, 6],
    [4, 2],
    [5, 2],
  ] as const);
  const status = statusOf(rng, ageDays, handlingWay);
  const refundId = refundIdOf(i);
  // About one in twenty orders has a second after-sale (two items of one order).
  const orderIndex = i % 20 === 1 ? i - 1 : i;
  const orderRng = new Rng(options.seed, orderIndex, 7);
  const item = orderRng.pick(CATALOG);
  const sku = rng.pick(item.skus);
  const summary: RefundSummary = {
    refundId,
    orderId: orderIdOf(orderIndex),
    itemId: item.itemId,
    skuId: sku.skuId,
    skuNick: sku.nick,
    handlingWay,
    status,
    negotiateStatus: 0,
    refundType: handlingWay === 10 ? 1 : 2,
    receiptStatus: status >= 40 ? 1 : 0,
    refundFee: sku.price,
    refundReason: rng.int(1, 20),
    refundReasonDesc: rng.pick(['尺码不合适', '不喜欢/效果不好', '质量问题', '与商品描述不符', '7天无理由退货']),
    refundDesc: '',
    submitTime: createTime,
    createTime,
    updateTime,
    negotiateUpdateTime: null,
    endTime: status === 30 || status === 40 ? updateTime + 7 * DAY : null,
    expireTime: null,
    logisticsId: null,
  };
  const returnType = handlingWay === 1 || handlingWay === 3;
  const shipped = [22, 40, 50, 60].includes(status) || (status === 70 && rng.chance(0.3));
  const detail: RefundDetail | null = returnType
    ? {
        ...summary,
        returnWaybill: shipped ? checkedWaybill(returnWaybill(rng)) : null,
        returnFreight: shipped && rng.chance(0.1) ? { amount: rng.int(8, 20) * 100, status: 10, applyDesc: '退货运费', images: [] } : null,
        buyerOpenId: `f19${rng.hex(20)}`,
      }
    : null;
  const order: OrderInfo = {
    orderId: summary.orderId,
    itemTitle: item.title,
    skuDesc: sku.nick,
    quantity: orderRng.int(1, 3),
    freightInsurance: orderRng.chance(0.4),
    freightProviderType: null,
    outboundWaybills: [
      checkedWaybill(outboundWaybill(orderRng)),
      ...(orderRng.chance(0.05) ? [checkedWaybill(outboundWaybill(orderRng))] : []),
    ],
    refunds: [],
  };
  return { summary, detail, order };
}

/**
 * Writes after-sales [from, to) through the sync's own write path: each page of 100 list rows, then that page's
 * details and orders as one fetched batch (`applyFetched`). Pages share an outer transaction per 5,000 rows
 * (the store's transactions nest as savepoints) so the build is not an fsync per page; the ingest benchmark
 * measures the real per-batch commits.
 */
export function writeRange(
  db: Database.Database,
  from: number,
  to: number,
  options: DatasetOptions,
  onBatch?: (done: number) => void,
): void {
  const batch = 5_000;
  for (let start = from; start < to; start += batch) {
    const end = Math.min(to, start + batch);
    db.transaction(() => {
      for (let page = start; page < end; page += 100) {
        const rows = [];
        for (let i = page; i < Math.min(end, page + 100); i += 1) rows.push(generate(i, options));
        writePage(db, rows, options.now);
      }
    })();
    onBatch?.(end);
  }
}

/** One list page and its fetched batch, as the engine writes them. */
export function writePage(db: Database.Database, rows: Generated[], now: number): void {
  upsertSummaries(
    db,
    BENCH_SHOP,
    rows.map((r) => r.summary),
    now,
  );
  applyFetched(
    db,
    BENCH_SHOP,
    {
      details: rows.flatMap((r) => (r.detail ? [r.detail] : [])),
      goneDetails: [],
      orders: rows.map((r) => ({ orderId: r.order.orderId, order: r.order })),
    },
    now,
  );
}
