// The after-sale cache: version-guarded upserts from list pages, details and orders, and the row -> view mapping.
import type Database from 'better-sqlite3';
import { oddFields, type AfterSale, type LocalState } from '../../../common/contract/after-sales';
import { courierByCode } from '../../../common/couriers';
import { HandlingWay, Status } from '../../../common/desk';
import { waybillKey } from '../../../common/waybill';
import type { OrderInfo, RefundDetail, RefundSummary, Waybill } from '../platform/types';
import type { ConflictReason } from '../../../common/contract/sync';
import { adoptOutboxState } from '../outbox/store';

/** Statuses after which nothing at the desk can change: refund succeeded or closed. */
export const FINAL_STATUSES = [Status.REFUNDED, Status.CLOSED] as const;
/** handlingWay values that involve a parcel coming back: return-and-refund and exchange. */
export const RETURN_WAYS = [HandlingWay.RETURN_AND_REFUND, HandlingWay.EXCHANGE] as const;
const FINAL_SQL = FINAL_STATUSES.join(', ');
const RETURN_WAYS_SQL = RETURN_WAYS.join(', ');

export function isFinal(status: number): boolean {
  return (FINAL_STATUSES as readonly number[]).includes(status);
}

/** A detail can matter only for a return-type after-sale that is still open. */
export function detailMatters(summary: { handlingWay: number; status: number }): boolean {
  return (RETURN_WAYS as readonly number[]).includes(summary.handlingWay) && !isFinal(summary.status);
}

export interface AfterSaleRow {
  refund_id: string;
  shop_id: string;
  order_id: string;
  item_id: string;
  sku_id: string;
  sku_nick: string;
  handling_way: number;
  status: number;
  negotiate_status: number;
  refund_type: number;
  receipt_status: number;
  refund_fee: number;
  refund_reason: number | null;
  refund_reason_desc: string;
  refund_desc: string;
  submit_time: number;
  create_time: number;
  update_time: number;
  negotiate_update_time: number | null;
  end_time: number | null;
  expire_time: number | null;
  logistics_id: string | null;
  detail_version: number | null;
  return_express_no: string | null;
  return_express_code: number | null;
  return_waybill_norm: string | null;
  return_freight: string | null;
  buyer_open_id: string | null;
  local_state: LocalState;
  local_express_no: string | null;
  local_express_code: number | null;
  local_waybill_norm: string | null;
  synced_at: number;
}

interface OrderRow {
  order_id: string;
  found: number;
  item_title: string | null;
  sku_desc: string | null;
  quantity: number | null;
  freight_insurance: number | null;
}

const SUMMARY_COLUMNS = `refund_id, shop_id, order_id, item_id, sku_id, sku_nick, handling_way, status, negotiate_status, refund_type,
  receipt_status, refund_fee, refund_reason, refund_reason_desc, refund_desc, submit_time, create_time, update_time,
  negotiate_update_time, end_time, expire_time, logistics_id, synced_at`;
/** Positional: the sync binds thousands of rows a second, and named parameters cost a lookup each (23 here). */
const SUMMARY_VALUES = Array.from({ length: 23 }, () => '?').join(', ');
const SUMMARY_UPDATE = `shop_id = excluded.shop_id, order_id = excluded.order_id, item_id = excluded.item_id, sku_id = excluded.sku_id,
  sku_nick = excluded.sku_nick, handling_way = excluded.handling_way, status = excluded.status,
  negotiate_status = excluded.negotiate_status, refund_type = excluded.refund_type, receipt_status = excluded.receipt_status,
  refund_fee = excluded.refund_fee, refund_reason = excluded.refund_reason, refund_reason_desc = excluded.refund_reason_desc,
  refund_desc = excluded.refund_desc, submit_time = excluded.submit_time, create_time = excluded.create_time,
  update_time = excluded.update_time, negotiate_update_time = excluded.negotiate_update_time, end_time = excluded.end_time,
  expire_time = excluded.expire_time, logistics_id = excluded.logistics_id, synced_at = excluded.synced_at`;

function prepare(db: Database.Database) {
  return {
    db,
    upsertSummary: db.prepare(
      `INSERT INTO after_sales (${SUMMARY_COLUMNS}) VALUES (${SUMMARY_VALUES})
       ON CONFLICT (refund_id) DO UPDATE SET ${SUMMARY_UPDATE} WHERE excluded.update_time > after_sales.update_time`,
    ),
    upsertDetail: db.prepare(
      `INSERT INTO after_sales (${SUMMARY_COLUMNS}, detail_version, return_express_no, return_express_code, return_waybill_norm, return_freight, buyer_open_id)
       VALUES (${SUMMARY_VALUES}, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (refund_id) DO UPDATE SET ${SUMMARY_UPDATE}, detail_version = excluded.detail_version,
         return_express_no = excluded.return_express_no, return_express_code = excluded.return_express_code,
         return_waybill_norm = excluded.return_waybill_norm, return_freight = excluded.return_freight,
         buyer_open_id = excluded.buyer_open_id
       WHERE excluded.update_time >= after_sales.update_time`,
    ),
    markDetailSeen: db.prepare(`UPDATE after_sales SET detail_version = update_time WHERE refund_id = ?`),
    clearLocalWaybillIfPlatformHasIt: db.prepare(
      `UPDATE after_sales SET local_express_no = NULL, local_express_code = NULL, local_waybill_norm = NULL
       WHERE refund_id = ? AND local_waybill_norm IS NOT NULL AND return_waybill_norm = local_waybill_norm`,
    ),
    row: db.prepare(`SELECT * FROM after_sales WHERE refund_id = ?`),
    order: db.prepare(`SELECT * FROM orders WHERE order_id = ?`),
    orderWaybills: db.prepare(`SELECT express_no, express_code FROM order_waybills WHERE order_id = ? ORDER BY rowid`),
    upsertOrder: db.prepare(
      `INSERT INTO orders (order_id, shop_id, found, item_title, sku_desc, quantity, freight_insurance, freight_provider_type, fetched_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (order_id) DO UPDATE SET found = excluded.found, item_title = excluded.item_title, sku_desc = excluded.sku_desc,
         quantity = excluded.quantity, freight_insurance = excluded.freight_insurance,
         freight_provider_type = excluded.freight_provider_type, fetched_at = excluded.fetched_at`,
    ),
    dropOrderWaybills: db.prepare(`DELETE FROM order_waybills WHERE order_id = ?`),
    addOrderWaybill: db.prepare(
      `INSERT OR IGNORE INTO order_waybills (order_id, express_no, express_code, normalized) VALUES (?, ?, ?, ?)`,
    ),
    refundsOfOrder: db.prepare(`SELECT refund_id FROM after_sales WHERE order_id = ?`),
    dueDetails: db.prepare(
      // Only the rows still due are in this partial index (migration 0005): a pass costs what is due, not the cache.
      `SELECT refund_id FROM after_sales INDEXED BY after_sales_detail_due
       WHERE shop_id = ? AND handling_way IN (${RETURN_WAYS_SQL}) AND status NOT IN (${FINAL_SQL})
         AND (detail_version IS NULL OR detail_version < update_time)
       ORDER BY update_time DESC LIMIT ?`,
    ),
    dueOrders: db.prepare(
      `SELECT a.order_id FROM after_sales a INDEXED BY after_sales_open LEFT JOIN orders o ON o.order_id = a.order_id
       WHERE a.shop_id = ? AND o.order_id IS NULL AND a.status NOT IN (${FINAL_SQL})
       GROUP BY a.order_id ORDER BY max(a.update_time) DESC LIMIT ?`,
    ),
  };
}

type Statements = ReturnType<typeof prepare>;
const cache = new WeakMap<Database.Database, Statements>();

/** Statements are prepared once per database. */
function statements(db: Database.Database): Statements {
  let s = cache.get(db);
  if (!s) cache.set(db, (s = prepare(db)));
  return s;
}

/** The 23 positional values of SUMMARY_COLUMNS, in order. */
function summaryParams(shopId: string, s: RefundSummary, now: number): unknown[] {
  return [
    s.refundId,
    shopId,
    s.orderId,
    s.itemId,
    s.skuId,
    s.skuNick,
    s.handlingWay,
    s.status,
    s.negotiateStatus,
    s.refundType,
    s.receiptStatus,
    s.refundFee,
    s.refundReason,
    s.refundReasonDesc,
    s.refundDesc,
    s.submitTime,
    s.createTime,
    s.updateTime,
    s.negotiateUpdateTime,
    s.endTime,
    s.expireTime,
    s.logisticsId,
    now,
  ];
}

/** Upserts one list page in one transaction; answers the refund ids whose version moved forward (or are new). */
export function upsertSummaries(db: Database.Database, shopId: string, items: RefundSummary[], now: number): string[] {
  const s = statements(db);
  const changed: string[] = [];
  db.transaction(() => {
    for (const item of items) {
      if (s.upsertSummary.run(summaryParams(shopId, item, now)).changes > 0) {
        adoptOutboxState(db, item.refundId, now);
        changed.push(item.refundId);
      }
    }
  })();
  return changed;
}

/** The detail's write without a transaction of its own (callers hold one). */
function writeDetail(s: Statements, shopId: string, detail: RefundDetail, now: number): boolean {
  const waybill = detail.returnWaybill && detail.returnWaybill.expressNo.trim() !== '' ? detail.returnWaybill : null;
  const taken =
    s.upsertDetail.run(
      ...summaryParams(shopId, detail, now),
      detail.updateTime,
      waybill?.expressNo ?? null,
      waybill?.expressCode ?? null,
      waybill ? waybillKey(waybill.expressNo) : null,
      detail.returnFreight ? JSON.stringify(detail.returnFreight) : null,
      detail.buyerOpenId,
    ).changes > 0;
  if (taken) {
    s.clearLocalWaybillIfPlatformHasIt.run(detail.refundId);
    adoptOutboxState(s.db, detail.refundId, now);
  }
  return taken;
}

/** Stores a detail if it is not older than what the cache holds; answers whether it was taken. */
export function applyDetail(db: Database.Database, shopId: string, detail: RefundDetail, now: number): boolean {
  const s = statements(db);
  return db.transaction(() => writeDetail(s, shopId, detail, now))();
}

/** What one fetch batch of the sync brought back: details, refunds the platform no longer has, orders (null: unknown). */
export interface FetchedBatch {
  details: RefundDetail[];
  goneDetails: string[];
  orders: { orderId: string; order: OrderInfo | null }[];
}

/**
 * Writes a whole fetch batch in one transaction (one commit, one fsync, instead of one per row); answers the
 * refund ids whose cached view changed (taken details, and the after-sales of the orders).
 */
export function applyFetched(db: Database.Database, shopId: string, batch: FetchedBatch, now: number): string[] {
  const s = statements(db);
  return db.transaction(() => {
    const changed = new Set<string>();
    for (const detail of batch.details) if (writeDetail(s, shopId, detail, now)) changed.add(detail.refundId);
    for (const id of batch.goneDetails) s.markDetailSeen.run(id);
    for (const { orderId, order } of batch.orders) {
      writeOrder(s, shopId, orderId, order, now);
      for (const id of s.refundsOfOrder.pluck().all(orderId) as string[]) changed.add(id);
    }
    return [...changed];
  })();
}

function writeOrder(s: Statements, shopId: string, orderId: string, order: OrderInfo | null, now: number): void {
  s.upsertOrder.run(
    orderId,
    shopId,
    order ? 1 : 0,
    order?.itemTitle ?? null,
    order?.skuDesc ?? null,
    order?.quantity ?? null,
    order?.freightInsurance === null || order === null ? null : order.freightInsurance ? 1 : 0,
    order?.freightProviderType ?? null,
    now,
  );
  s.dropOrderWaybills.run(orderId);
  for (const w of order?.outboundWaybills ?? []) {
    if (w.expressNo.trim() !== '') s.addOrderWaybill.run(orderId, w.expressNo, w.expressCode, waybillKey(w.expressNo));
  }
}

/** Stores an order (or the fact that the platform does not know it), replacing its outbound waybills. */
export function saveOrder(db: Database.Database, shopId: string, orderId: string, order: OrderInfo | null, now: number): void {
  const s = statements(db);
  db.transaction(() => writeOrder(s, shopId, orderId, order, now))();
}

export function dueDetails(db: Database.Database, shopId: string, limit: number): string[] {
  return statements(db).dueDetails.pluck().all(shopId, limit) as string[];
}

export function dueOrders(db: Database.Database, shopId: string, limit: number): string[] {
  return statements(db).dueOrders.pluck().all(shopId, limit) as string[];
}

export function readRow(db: Database.Database, refundId: string): AfterSaleRow | undefined {
  return statements(db).row.get(refundId) as AfterSaleRow | undefined;
}

function waybillView(w: Waybill) {
  return { expressNo: w.expressNo, expressCode: w.expressCode, courierName: courierByCode(w.expressCode)?.name ?? null };
}

/** The contract's view of one cached row; `undoUntil` and `conflictReason` come from the outbox. */
export function toView(
  db: Database.Database,
  row: AfterSaleRow,
  local: { undoUntil: number | null; conflictCode: ConflictReason | null; conflictReason: string | null },
): AfterSale {
  const s = statements(db);
  const order = s.order.get(row.order_id) as OrderRow | undefined;
  const outbound = order ? (s.orderWaybills.all(row.order_id) as { express_no: string; express_code: number }[]) : [];
  const freight = row.return_freight ? (JSON.parse(row.return_freight) as { amount: number; status: number; applyDesc: string }) : null;
  const returnWaybill =
    row.return_express_no !== null && row.return_express_code !== null
      ? { expressNo: row.return_express_no, expressCode: row.return_express_code }
      : row.local_express_no !== null && row.local_express_code !== null
        ? { expressNo: row.local_express_no, expressCode: row.local_express_code }
        : null;
  const deadline = row.end_time ?? row.expire_time;
  return {
    shopId: row.shop_id,
    refundId: row.refund_id,
    orderId: row.order_id,
    itemId: row.item_id,
    skuId: row.sku_id,
    itemTitle: order?.item_title ?? null,
    skuName: row.sku_nick,
    quantity: order?.quantity ?? null,
    handlingWay: row.handling_way,
    status: row.status,
    negotiateStatus: row.negotiate_status,
    receiptStatus: row.receipt_status,
    refundFee: row.refund_fee,
    refundReason: row.refund_reason_desc,
    refundDesc: row.refund_desc,
    buyerMasked: null,
    returnWaybill: returnWaybill ? waybillView(returnWaybill) : null,
    outboundWaybills: outbound.map((w) => waybillView({ expressNo: w.express_no, expressCode: w.express_code })),
    freightInsurance: order && order.freight_insurance !== null ? order.freight_insurance === 1 : null,
    returnFreight: freight ? { amount: freight.amount, status: freight.status, applyDesc: freight.applyDesc } : null,
    createTime: row.create_time,
    updateTime: row.update_time,
    oddFields: oddFields({
      refundFee: row.refund_fee,
      returnFreightAmount: freight?.amount ?? null,
      createTime: row.create_time,
      updateTime: row.update_time,
    }),
    deadline: deadline !== null && deadline >= 0 ? deadline : null,
    detailSynced: row.detail_version !== null && row.detail_version >= row.update_time,
    local: { state: row.local_state, undoUntil: local.undoUntil, conflictCode: local.conflictCode, conflictReason: local.conflictReason },
  };
}
