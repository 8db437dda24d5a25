// afterSales.* handlers: filtered lists of the local cache (the desk queue first), one after-sale, its history.
import { queueRank, type AfterSaleFilter, type ListCursor } from '../../../common/contract/after-sales';
import { QUEUE_RANK_SQL } from '../db/migrations/0009-search-and-queue-indexes';
import { statement } from '../sql/statements';
import { DeskError } from '../../../common/contract/errors';
import { deskQueueSql } from '../../../common/desk';
import { defineHandlers } from '../context/handlers';
import { getAfterSale } from './views';
import { afterSaleHistory } from './history';

function likeFragment(text: string): string {
  return '%' + text.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
}

/** The trigram index matches substrings of 3 characters or more; shorter terms fall back to LIKE in the queue. */
export const MIN_INDEXED_TEXT = 3;

/** An FTS5 phrase: the text as one quoted string, so no character of it is query syntax. */
function ftsPhrase(text: string): string {
  return '"' + text.replace(/"/g, '""') + '"';
}

/** Builds the WHERE clause of a filter; every value goes in as a bound parameter. */
export function filterSql(filter: AfterSaleFilter): { where: string; params: Record<string, unknown>; textLimitedToQueue: boolean } {
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  let deskQueue = filter.deskQueue === true;
  let textLimitedToQueue = false;
  if (filter.statuses && filter.statuses.length > 0) {
    parts.push(`a.status IN (SELECT value FROM json_each(@statuses))`);
    params.statuses = JSON.stringify(filter.statuses);
  }
  if (filter.courierCode !== undefined) {
    parts.push(`coalesce(a.return_express_code, a.local_express_code) = @courier`);
    params.courier = filter.courierCode;
  }
  if (filter.insurance === 'yes') parts.push(`o.freight_insurance = 1`);
  if (filter.insurance === 'no') parts.push(`o.freight_insurance = 0`);
  if (filter.insurance === 'unknown') parts.push(`o.freight_insurance IS NULL`);
  if (filter.hasWaybill !== undefined) {
    parts.push(
      filter.hasWaybill
        ? `coalesce(a.return_waybill_norm, a.local_waybill_norm) IS NOT NULL`
        : `coalesce(a.return_waybill_norm, a.local_waybill_norm) IS NULL`,
    );
  }
  if (filter.localStates && filter.localStates.length > 0) {
    parts.push(`a.local_state IN (SELECT value FROM json_each(@localStates))`);
    params.localStates = JSON.stringify(filter.localStates);
  }
  const text = filter.text?.trim();
  if (text && [...text].length >= MIN_INDEXED_TEXT) {
    // The store keeps after_sales_search in step (migration 0009): ids, waybills, SKU and item title.
    parts.push(`a.rowid IN (SELECT rowid FROM after_sales_search WHERE after_sales_search MATCH @fts)`);
    params.fts = ftsPhrase(text);
  } else if (text) {
    parts.push(
      `(a.refund_id = @text OR a.order_id = @text OR a.return_waybill_norm LIKE @like ESCAPE '\\' OR a.local_waybill_norm LIKE @like ESCAPE '\\'
        OR a.sku_nick LIKE @like ESCAPE '\\' OR o.item_title LIKE @like ESCAPE '\\')`,
    );
    params.text = text;
    params.like = likeFragment(text);
    // A 1–2 character LIKE has no index: it may walk the desk queue, never the whole cache.
    textLimitedToQueue = !deskQueue;
    deskQueue = true;
  }
  if (deskQueue) parts.push(deskQueueSql('a'));
  if (filter.shopId !== undefined) {
    parts.push(`a.shop_id = @shopId`);
    params.shopId = filter.shopId;
  }
  return { where: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params, textLimitedToQueue };
}

/** ORDER BY and the keyset condition for a page after `cursor`, matching the indexes of migration 0009. */
function orderSql(deskQueue: boolean, cursor: ListCursor | undefined): { order: string; after: string; params: Record<string, unknown> } {
  const rank = QUEUE_RANK_SQL.replace(/status/g, 'a.status');
  const order = deskQueue ? `${rank}, a.update_time DESC, a.refund_id` : `a.update_time DESC, a.refund_id`;
  if (!cursor) return { order, after: '', params: {} };
  const params = { afterRank: queueRank(cursor.status), afterTime: cursor.updateTime, afterId: cursor.refundId };
  const byTime = `(a.update_time < @afterTime OR (a.update_time = @afterTime AND a.refund_id > @afterId))`;
  const after = deskQueue ? `(${rank} > @afterRank OR (${rank} = @afterRank AND ${byTime}))` : byTime;
  return { order, after, params };
}

export const afterSalesHandlers = defineHandlers({
  'afterSales.list': (ctx, input) => {
    const filter = input.filter ?? {};
    const { where, params, textLimitedToQueue } = filterSql(filter);
    const deskQueue = filter.deskQueue === true || textLimitedToQueue;
    // Named: without statistics the planner takes the status index and sorts the whole queue for every page.
    const source = deskQueue ? 'after_sales a INDEXED BY after_sales_queue' : 'after_sales a';
    const from = `FROM ${source} LEFT JOIN orders o ON o.order_id = a.order_id ${where}`;
    const total = statement(ctx.db, `SELECT count(*) ${from}`).pluck().get(params) as number;
    const keyset = orderSql(deskQueue, input.after);
    const conditions = [keyset.after, input.refundIds ? `a.refund_id IN (SELECT value FROM json_each(@only))` : ''].filter(Boolean);
    const extra = conditions.length === 0 ? '' : (where ? ' AND ' : ' WHERE ') + conditions.join(' AND ');
    const ids = statement(ctx.db, `SELECT a.refund_id ${from}${extra} ORDER BY ${keyset.order} LIMIT @limit OFFSET @offset`)
      .pluck()
      .all({
        ...params,
        ...keyset.params,
        ...(input.refundIds ? { only: JSON.stringify(input.refundIds) } : {}),
        limit: input.limit ?? 200,
        offset: input.after ? 0 : (input.offset ?? 0),
      }) as string[];
    const items = ids.map((id) => getAfterSale(ctx, id)).filter((v) => v !== null);
    return { items, total, textLimitedToQueue };
  },
  'afterSales.get': (ctx, input) => {
    const view = getAfterSale(ctx, input.refundId);
    if (!view) throw new DeskError('not_found', `No after-sale ${input.refundId} in the local cache`, { refundId: input.refundId });
    return view;
  },
  'afterSales.history': async (ctx, input) => {
    const history = await afterSaleHistory(ctx, input.refundId);
    if (!history) throw new DeskError('not_found', `No after-sale ${input.refundId} in the local cache`, { refundId: input.refundId });
    return history;
  },
});
