// After-sales shared with other desks (warehouse mode): a cached row as a record, and records applied to the cache.
import { z } from 'zod';
import { waybillKey } from '../../../common/waybill';
import { readRow, type AfterSaleRow } from '../after-sales/store';
import type { CoreContext } from '../context/context';
import { closeReachedConflicts, outboxCounts, recomputeLocalState } from '../outbox/store';
import { statement } from '../sql/statements';

const id = z.string().regex(/^[0-9]+$/);
const int = z.number().int();
const waybill = z.object({ expressNo: z.string().min(1), expressCode: int });

/**
 * One after-sale as the platform showed it to the desk that pulled it: the platform's fields only (a desk's own
 * pending work, local_state and its local waybill, stays at that desk), plus its order when it was fetched.
 */
export const replicatedAfterSaleSchema = z.object({
  refundId: id,
  shopId: z.string().min(1),
  orderId: id,
  itemId: z.string(),
  skuId: z.string(),
  skuNick: z.string(),
  handlingWay: int,
  status: int,
  negotiateStatus: int,
  refundType: int,
  receiptStatus: int,
  refundFee: int.nonnegative(),
  refundReason: int.nullable(),
  refundReasonDesc: z.string(),
  refundDesc: z.string(),
  submitTime: int,
  createTime: int,
  updateTime: int,
  negotiateUpdateTime: int.nullable(),
  endTime: int.nullable(),
  expireTime: int.nullable(),
  logisticsId: z.string().nullable(),
  /** The updateTime the detail was read at (null: never read). */
  detailVersion: int.nullable(),
  returnWaybill: waybill.nullable(),
  /** The platform's return-freight object as JSON text, as the cache keeps it. */
  returnFreight: z.string().nullable(),
  buyerOpenId: z.string().nullable(),
  order: z
    .object({
      found: z.boolean(),
      itemTitle: z.string().nullable(),
      skuDesc: z.string().nullable(),
      quantity: int.nullable(),
      freightInsurance: z.boolean().nullable(),
      freightProviderType: int.nullable(),
      fetchedAt: int,
      outboundWaybills: z.array(waybill),
    })
    .nullable(),
});
export type ReplicatedAfterSale = z.infer<typeof replicatedAfterSaleSchema>;

/**
 * How complete a record is at one platform version: 2 for a current detail, 1 for a fetched order. Two
 * records of the same updateTime keep the more complete one, so a summary never overwrites a detail.
 */
export function replicaRank(record: Pick<ReplicatedAfterSale, 'updateTime' | 'detailVersion' | 'order'>): number {
  const detailCurrent = record.detailVersion !== null && record.detailVersion >= record.updateTime;
  return (detailCurrent ? 2 : 0) + (record.order !== null ? 1 : 0);
}

/** Whether `incoming` carries more than `held` (a newer platform version, or the same one more complete). */
export function isNewerRecord(incoming: ReplicatedAfterSale, held: ReplicatedAfterSale | null): boolean {
  if (held === null) return true;
  if (incoming.updateTime !== held.updateTime) return incoming.updateTime > held.updateTime;
  return replicaRank(incoming) > replicaRank(held);
}

/** The keys a scan can find the after-sale by (as the desk's lookup normalises them). */
export function replicaKeys(record: ReplicatedAfterSale): { kind: 'waybill' | 'order' | 'after_sale'; key: string }[] {
  const keys = new Map<string, { kind: 'waybill' | 'order' | 'after_sale'; key: string }>();
  const add = (kind: 'waybill' | 'order' | 'after_sale', key: string) => key !== '' && keys.set(`${kind}:${key}`, { kind, key });
  add('after_sale', record.refundId);
  add('order', record.orderId);
  if (record.returnWaybill) add('waybill', waybillKey(record.returnWaybill.expressNo));
  for (const outbound of record.order?.outboundWaybills ?? []) add('waybill', waybillKey(outbound.expressNo));
  return [...keys.values()];
}

interface OrderRow {
  found: number;
  item_title: string | null;
  sku_desc: string | null;
  quantity: number | null;
  freight_insurance: number | null;
  freight_provider_type: number | null;
  fetched_at: number;
}

function toRecord(ctx: Pick<CoreContext, 'db'>, row: AfterSaleRow): ReplicatedAfterSale {
  const order = statement(ctx.db, 'SELECT * FROM orders WHERE order_id = ?').get(row.order_id) as OrderRow | undefined;
  const outbound = order
    ? (statement(ctx.db, 'SELECT express_no, express_code FROM order_waybills WHERE order_id = ? ORDER BY rowid').all(row.order_id) as {
        express_no: string;
        express_code: number;
      }[])
    : [];
  return {
    refundId: row.refund_id,
    shopId: row.shop_id,
    orderId: row.order_id,
    itemId: row.item_id,
    skuId: row.sku_id,
    skuNick: row.sku_nick,
    handlingWay: row.handling_way,
    status: row.status,
    negotiateStatus: row.negotiate_status,
    refundType: row.refund_type,
    receiptStatus: row.receipt_status,
    refundFee: row.refund_fee,
    refundReason: row.refund_reason,
    refundReasonDesc: row.refund_reason_desc,
    refundDesc: row.refund_desc,
    submitTime: row.submit_time,
    createTime: row.create_time,
    updateTime: row.update_time,
    negotiateUpdateTime: row.negotiate_update_time,
    endTime: row.end_time,
    expireTime: row.expire_time,
    logisticsId: row.logistics_id,
    detailVersion: row.detail_version,
    returnWaybill:
      row.return_express_no !== null && row.return_express_no !== '' && row.return_express_code !== null
        ? { expressNo: row.return_express_no, expressCode: row.return_express_code }
        : null,
    returnFreight: row.return_freight,
    buyerOpenId: row.buyer_open_id,
    order: order
      ? {
          found: order.found === 1,
          itemTitle: order.item_title,
          skuDesc: order.sku_desc,
          quantity: order.quantity,
          freightInsurance: order.freight_insurance === null ? null : order.freight_insurance === 1,
          freightProviderType: order.freight_provider_type,
          fetchedAt: order.fetched_at,
          outboundWaybills: outbound.map((w) => ({ expressNo: w.express_no, expressCode: w.express_code })),
        }
      : null,
  };
}

/** The cached after-sale as a record to share; null when it is not in the cache. */
export function exportAfterSale(ctx: Pick<CoreContext, 'db'>, refundId: string): ReplicatedAfterSale | null {
  const row = readRow(ctx.db, refundId);
  return row ? toRecord(ctx, row) : null;
}

const PLATFORM_COLUMNS = [
  'refund_id',
  'shop_id',
  'order_id',
  'item_id',
  'sku_id',
  'sku_nick',
  'handling_way',
  'status',
  'negotiate_status',
  'refund_type',
  'receipt_status',
  'refund_fee',
  'refund_reason',
  'refund_reason_desc',
  'refund_desc',
  'submit_time',
  'create_time',
  'update_time',
  'negotiate_update_time',
  'end_time',
  'expire_time',
  'logistics_id',
  'detail_version',
  'return_express_no',
  'return_express_code',
  'return_waybill_norm',
  'return_freight',
  'buyer_open_id',
  'synced_at',
] as const;
// Only the platform's columns: local_state and the local waybill belong to this desk's own pending work.
const UPSERT_ROW = `INSERT INTO after_sales (${PLATFORM_COLUMNS.join(', ')}) VALUES (${PLATFORM_COLUMNS.map(() => '?').join(', ')})
  ON CONFLICT (refund_id) DO UPDATE SET ${PLATFORM_COLUMNS.slice(1)
    .map((column) => `${column} = excluded.${column}`)
    .join(', ')}`;

function rowParams(r: ReplicatedAfterSale, now: number): unknown[] {
  return [
    r.refundId,
    r.shopId,
    r.orderId,
    r.itemId,
    r.skuId,
    r.skuNick,
    r.handlingWay,
    r.status,
    r.negotiateStatus,
    r.refundType,
    r.receiptStatus,
    r.refundFee,
    r.refundReason,
    r.refundReasonDesc,
    r.refundDesc,
    r.submitTime,
    r.createTime,
    r.updateTime,
    r.negotiateUpdateTime,
    r.endTime,
    r.expireTime,
    r.logisticsId,
    r.detailVersion,
    r.returnWaybill?.expressNo ?? null,
    r.returnWaybill?.expressCode ?? null,
    r.returnWaybill ? waybillKey(r.returnWaybill.expressNo) : null,
    r.returnFreight,
    r.buyerOpenId,
    now,
  ];
}

function writeOrder(ctx: Pick<CoreContext, 'db'>, r: ReplicatedAfterSale): boolean {
  const order = r.order;
  if (order === null) return false;
  const held = statement(ctx.db, 'SELECT fetched_at FROM orders WHERE order_id = ?').pluck().get(r.orderId) as number | undefined;
  if (held !== undefined && held >= order.fetchedAt) return false;
  statement(
    ctx.db,
    `INSERT INTO orders (order_id, shop_id, found, item_title, sku_desc, quantity, freight_insurance, freight_provider_type, fetched_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (order_id) DO UPDATE SET found = excluded.found, item_title = excluded.item_title, sku_desc = excluded.sku_desc,
       quantity = excluded.quantity, freight_insurance = excluded.freight_insurance,
       freight_provider_type = excluded.freight_provider_type, fetched_at = excluded.fetched_at`,
  ).run(
    r.orderId,
    r.shopId,
    order.found ? 1 : 0,
    order.itemTitle,
    order.skuDesc,
    order.quantity,
    order.freightInsurance === null ? null : order.freightInsurance ? 1 : 0,
    order.freightProviderType,
    order.fetchedAt,
  );
  statement(ctx.db, 'DELETE FROM order_waybills WHERE order_id = ?').run(r.orderId);
  for (const w of order.outboundWaybills) {
    statement(ctx.db, 'INSERT OR IGNORE INTO order_waybills (order_id, express_no, express_code, normalized) VALUES (?, ?, ?, ?)').run(
      r.orderId,
      w.expressNo,
      w.expressCode,
      waybillKey(w.expressNo),
    );
  }
  return true;
}

/**
 * Applies records another desk pulled into this desk's cache, in one transaction. Idempotent: a record not
 * newer than the cached row (platform version, then completeness) changes nothing. Emits afterSales.changed
 * for what changed (the desk's screens follow) and closes conflicts whose goal the platform now shows as
 * reached, as the desk's own pull does. Answers the refund ids that changed.
 */
export function applyReplicatedAfterSales(
  ctx: Pick<CoreContext, 'db' | 'clock' | 'events'>,
  records: readonly ReplicatedAfterSale[],
): string[] {
  const now = ctx.clock.now();
  const changed = ctx.db.transaction(() => {
    const ids = new Set<string>();
    for (const record of records) {
      const held = readRow(ctx.db, record.refundId);
      if (isNewerRecord(record, held ? toRecord(ctx, held) : null)) {
        statement(ctx.db, UPSERT_ROW).run(...rowParams(record, now));
        // Our own waybill upload is shown by the platform now: the local alias of it is no longer needed.
        statement(
          ctx.db,
          `UPDATE after_sales SET local_express_no = NULL, local_express_code = NULL, local_waybill_norm = NULL
           WHERE refund_id = ? AND local_waybill_norm IS NOT NULL AND return_waybill_norm = local_waybill_norm`,
        ).run(record.refundId);
        // New here: another desk's outbox row for it may have come first (the outbox feed is not ordered with this
        // one), and its local state was then written to no row. Derived now from the rows this desk holds.
        if (!held) recomputeLocalState(ctx.db, record.refundId, now);
        ids.add(record.refundId);
      }
      if (writeOrder(ctx, record)) ids.add(record.refundId);
    }
    return [...ids];
  })();
  if (changed.length === 0) return changed;
  let closed = 0;
  for (const refundId of changed) closed += closeReachedConflicts(ctx.db, refundId, now);
  if (closed > 0) ctx.events.emit('outbox.changed', outboxCounts(ctx.db));
  ctx.events.emit('afterSales.changed', { refundIds: changed });
  return changed;
}

/** Every cached after-sale of the shop (to share a cache that was built before the desk joined a warehouse). */
export function replicaRefundIds(ctx: Pick<CoreContext, 'db'>, shopId: string): string[] {
  return statement(ctx.db, 'SELECT refund_id FROM after_sales WHERE shop_id = ? ORDER BY update_time DESC').pluck().all(shopId) as string[];
}
