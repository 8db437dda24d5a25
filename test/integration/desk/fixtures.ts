// Seeds after-sales into the real cache through the sync store (list summary, detail, order), as a sync run would.
import { applyDetail, saveOrder, upsertSummaries } from '../../../src/main/core/after-sales/store';
import type { RefundDetail, ReturnFreightClaim, Waybill } from '../../../src/main/core/platform/types';
import type { DeskHarness } from '../../unit/desk/support';

export const SHOP = 'shop-1';
let serial = 0;

export interface SeedOptions {
  refundId?: string;
  orderId?: string;
  status?: number;
  handlingWay?: number;
  receiptStatus?: number;
  waybill?: Waybill | null;
  freight?: ReturnFreightClaim | null;
  /** undefined: the order is not synced yet (insurance unknown). */
  insurance?: boolean;
  outbound?: Waybill[];
  /** false: only the list summary arrived, the detail was never read. */
  detail?: boolean;
}

export function refundDetail(options: SeedOptions, now: number): RefundDetail {
  serial += 1;
  const refundId = options.refundId ?? String(2100000000000000000n + BigInt(serial));
  return {
    refundId,
    orderId: options.orderId ?? String(2200000000000000000n + BigInt(serial)),
    itemId: '3300000000000000001',
    skuId: '4400000000000000001',
    skuNick: '黑色 M',
    handlingWay: options.handlingWay ?? 1,
    status: options.status ?? 40,
    negotiateStatus: 2,
    refundType: 1,
    receiptStatus: options.receiptStatus ?? 1,
    refundFee: 5990,
    refundReason: 1,
    refundReasonDesc: '不想要了',
    refundDesc: '',
    submitTime: now - 86_400_000,
    createTime: now - 86_400_000,
    updateTime: now - 3_600_000,
    negotiateUpdateTime: null,
    endTime: now + 5 * 86_400_000,
    expireTime: null,
    logisticsId: null,
    returnWaybill: options.waybill ?? null,
    returnFreight: options.freight ?? null,
    buyerOpenId: 'buyer-open-id',
  };
}

/** Puts one after-sale in the cache; answers its refund id. */
export function seed(h: DeskHarness, options: SeedOptions = {}): string {
  const db = h.core.context.db;
  const now = h.clock.now();
  const detail = refundDetail(options, now);
  upsertSummaries(db, SHOP, [detail], now);
  if (options.detail !== false) applyDetail(db, SHOP, detail, now);
  if (options.insurance !== undefined || options.outbound !== undefined) {
    saveOrder(
      db,
      SHOP,
      detail.orderId,
      {
        orderId: detail.orderId,
        itemTitle: '纯棉短袖T恤',
        skuDesc: '黑色 M',
        quantity: 1,
        freightInsurance: options.insurance ?? null,
        freightProviderType: options.insurance ? 1 : null,
        outboundWaybills: options.outbound ?? [],
        refunds: [{ refundId: detail.refundId, refundStatus: detail.status }],
      },
      now,
    );
  }
  return detail.refundId;
}

export const SF = (n: number): Waybill => ({ expressNo: `SF${String(1000000000000 + n)}`, expressCode: 4 });

export function outboxRows(
  h: DeskHarness,
  refundId?: string,
): { kind: string; state: string; payload: string; operator_id: string | null }[] {
  const db = h.core.context.db;
  return (
    refundId === undefined
      ? db.prepare('SELECT * FROM outbox ORDER BY seq').all()
      : db.prepare('SELECT * FROM outbox WHERE refund_id = ? ORDER BY seq').all(refundId)
  ) as never;
}
