// afterSales.* handlers: filtered lists of the local cache (the desk queue first), one after-sale, its history.
import type { AfterSaleFilter } from '../../../shared/contract/after-sales';
import { DeskError } from '../../../shared/contract/errors';
import { Status, deskQueueSql } from '../../../shared/desk';
import { defineHandlers } from '../context/handlers';
import { getAfterSale } from './views';
import { afterSaleHistory } from './history';

function likeFragment(text: string): string {
  return '%' + text.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
}

/** Builds the WHERE clause of a filter; every value goes in as a bound parameter. */
export function filterSql(filter: AfterSaleFilter): { where: string; params: Record<string, unknown> } {
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
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
  if (text) {
    parts.push(
      `(a.refund_id = @text OR a.order_id = @text OR a.return_waybill_norm LIKE @like ESCAPE '\\' OR a.local_waybill_norm LIKE @like ESCAPE '\\'
        OR a.sku_nick LIKE @like ESCAPE '\\' OR o.item_title LIKE @like ESCAPE '\\')`,
    );
    params.text = text;
    params.like = likeFragment(text);
  }
  if (filter.deskQueue) parts.push(deskQueueSql('a'));
  if (filter.shopId !== undefined) {
    parts.push(`a.shop_id = @shopId`);
    params.shopId = filter.shopId;
  }
  return { where: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

export const afterSalesHandlers = defineHandlers({
  'afterSales.list': (ctx, input) => {
    const filter = input.filter ?? {};
    const { where, params } = filterSql(filter);
    const from = `FROM after_sales a LEFT JOIN orders o ON o.order_id = a.order_id ${where}`;
    const total = ctx.db.prepare(`SELECT count(*) ${from}`).pluck().get(params) as number;
    // The desk queue: what is shipped back (40) first, then the platform-confirmed returns (22), then those still waiting (30).
    const order = filter.deskQueue
      ? `CASE a.status WHEN ${Status.SHIPPED_BACK} THEN 0 WHEN ${Status.PLATFORM_RETURN_CONFIRMED} THEN 1 ELSE 2 END, a.update_time DESC`
      : `a.update_time DESC`;
    const ids = ctx.db
      .prepare(`SELECT a.refund_id ${from} ORDER BY ${order}, a.refund_id LIMIT @limit OFFSET @offset`)
      .pluck()
      .all({ ...params, limit: input.limit ?? 200, offset: input.offset ?? 0 }) as string[];
    const items = ids.map((id) => getAfterSale(ctx, id)).filter((v) => v !== null);
    return { items, total };
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
