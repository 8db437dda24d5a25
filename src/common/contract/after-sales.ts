// Contract of the after-sale cache as the desk reads it: the view model, list filters, detail and history.
import { z } from 'zod';
import { Status } from '../desk/codes';
import { defineMethods } from './define';
import { decimalIdSchema, epochMsSchema, platformIntSchema } from './ids';
import { conflictReasonSchema } from './sync';

/** Where the desk's own pending work on an after-sale stands (the outbox, seen from the after-sale). */
export const localStateSchema = z.enum([
  'none', // nothing of ours pending
  'waybill_pending', // a waybill upload is queued or sending
  'confirm_pending', // confirm queued, still inside the undo window
  'confirm_sending', // confirm left the undo window and is being sent
  'confirmed', // the platform accepted our confirm
  'conflict', // the platform refused one of our actions; the operator must look
]);
export type LocalState = z.infer<typeof localStateSchema>;

export const waybillViewSchema = z.object({
  expressNo: z.string(),
  expressCode: z.number().int(),
  courierName: z.string().nullable(),
});

export const afterSaleSchema = z.object({
  shopId: z.string(),
  refundId: decimalIdSchema,
  orderId: decimalIdSchema,
  itemId: z.string(),
  skuId: z.string(),
  itemTitle: z.string().nullable(), // from the order; null until the order is synced
  skuName: z.string(),
  quantity: z.number().int().nullable(),
  handlingWay: z.number().int(),
  status: z.number().int(),
  negotiateStatus: z.number().int(),
  receiptStatus: z.number().int(),
  refundFee: platformIntSchema, // as received; oddFields names it when it is out of range
  refundReason: z.string(),
  refundDesc: z.string(),
  buyerMasked: z.string().nullable(),
  returnWaybill: waybillViewSchema.nullable(),
  outboundWaybills: z.array(waybillViewSchema),
  freightInsurance: z.boolean().nullable(), // null: the order is not synced yet, so it is unknown
  returnFreight: z.object({ amount: platformIntSchema, status: z.number().int(), applyDesc: z.string() }).nullable(), // the buyer's return-postage claim (NOT freight insurance)
  createTime: platformIntSchema,
  updateTime: platformIntSchema,
  /** Platform fields whose value is out of range (a negative amount or time): shown as received, marked odd. */
  oddFields: z.array(z.enum(['refundFee', 'returnFreightAmount', 'createTime', 'updateTime'])),
  deadline: epochMsSchema.nullable(), // the platform's endTime/expireTime for the current step
  detailSynced: z.boolean(),
  local: z.object({
    state: localStateSchema,
    undoUntil: epochMsSchema.nullable(),
    /** Why the latest conflict happened, typed: the desk explains it in the operator's language. */
    conflictCode: conflictReasonSchema.nullable(),
    /** The platform's own words for that conflict: a secondary detail only. */
    conflictReason: z.string().nullable(),
  }),
});
export type AfterSale = z.infer<typeof afterSaleSchema>;
export type OddField = AfterSale['oddFields'][number];

/** The one rule for "odd" platform values: money and times are never negative on a sane record. */
export function oddFields(values: {
  refundFee: number;
  returnFreightAmount: number | null;
  createTime: number;
  updateTime: number;
}): OddField[] {
  const odd: OddField[] = [];
  if (values.refundFee < 0) odd.push('refundFee');
  if (values.returnFreightAmount !== null && values.returnFreightAmount < 0) odd.push('returnFreightAmount');
  if (values.createTime < 0) odd.push('createTime');
  if (values.updateTime < 0) odd.push('updateTime');
  return odd;
}

/** A history entry the desk itself adds (from its outbox): typed, so the renderer words it in the operator's language. */
export const localHistoryEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('waybill_pending'),
    expressCode: z.number().int(),
    courierName: z.string().nullable(),
    expressNo: z.string(),
  }),
  z.object({ kind: z.literal('confirm_pending') }),
  z.object({ kind: z.literal('refused'), reason: conflictReasonSchema, platformText: z.string().nullable() }),
]);
export type LocalHistoryEvent = z.infer<typeof localHistoryEventSchema>;

export const historyEntrySchema = z.object({
  source: z.enum(['platform', 'local']),
  /** The platform's own title of a negotiation entry (its language); null for the desk's own entries. */
  title: z.string().nullable(),
  /** The desk's own entry (source 'local'); null for platform entries. */
  event: localHistoryEventSchema.nullable(),
  role: z.enum(['buyer', 'merchant', 'platform', 'system', 'unknown']),
  rawRole: z.number().int().nullable(),
  createTime: platformIntSchema,
  staffName: z.string().nullable(),
  pending: z.boolean(), // local entries not yet confirmed by the platform's own history
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const afterSaleFilterSchema = z
  .object({
    statuses: z.array(z.number().int()).max(20).optional(),
    courierCode: z.number().int().optional(),
    insurance: z.enum(['yes', 'no', 'unknown']).optional(),
    hasWaybill: z.boolean().optional(),
    localStates: z.array(localStateSchema).max(6).optional(),
    text: z.string().max(100).optional(), // refund id, order id, waybill, title or SKU fragment
    deskQueue: z.boolean().optional(), // only what waits at the desk: return-and-refund in 22/30/40
    shopId: z.string().min(1).max(100).optional(), // one shop of several at this desk
  })
  .strict();
export type AfterSaleFilter = z.infer<typeof afterSaleFilterSchema>;

const refundRef = z.object({ refundId: decimalIdSchema }).strict();

/** Where a page ends, in the list's own order: the last row's update time and refund id. */
export const listCursorSchema = z.object({ updateTime: z.number().int(), refundId: decimalIdSchema, status: z.number().int() }).strict();
export type ListCursor = z.infer<typeof listCursorSchema>;

/** The desk queue's order: shipped back (40) first, then platform-confirmed returns (22), then those still waiting (30). */
export function queueRank(status: number): number {
  return status === Status.SHIPPED_BACK ? 0 : status === Status.PLATFORM_RETURN_CONFIRMED ? 1 : 2;
}

/** The cursor after a row, for the next keyset page. */
export function cursorOf(a: Pick<AfterSale, 'updateTime' | 'refundId' | 'status'>): ListCursor {
  return { updateTime: a.updateTime, refundId: a.refundId, status: a.status };
}

/** The list's order as a comparison (negative: `a` comes first); the core's ORDER BY says the same. */
export function compareListOrder(a: ListCursor, b: ListCursor, deskQueue: boolean): number {
  if (deskQueue) {
    const rank = queueRank(a.status) - queueRank(b.status);
    if (rank !== 0) return rank;
  }
  if (a.updateTime !== b.updateTime) return b.updateTime - a.updateTime;
  return a.refundId < b.refundId ? -1 : a.refundId > b.refundId ? 1 : 0;
}

export const afterSalesMethods = defineMethods({
  'afterSales.list': {
    permission: 'signed_in',
    changesState: false,
    input: z
      .object({
        filter: afterSaleFilterSchema.default({}),
        limit: z.number().int().min(1).max(500).default(200),
        offset: z.number().int().min(0).default(0),
        /** Keyset paging: the rows after this one in the list's order (offset is then ignored). */
        after: listCursorSchema.optional(),
        /** Only these after-sales (still filtered): how the queue refreshes the rows an event names. */
        refundIds: z.array(decimalIdSchema).max(500).optional(),
      })
      .strict(),
    output: z.object({
      items: z.array(afterSaleSchema),
      total: z.number().int().nonnegative(),
      /** A 1–2 character text was searched in the desk queue only (the whole-cache index needs 3). */
      textLimitedToQueue: z.boolean().default(false),
    }),
  },
  'afterSales.get': { permission: 'signed_in', changesState: false, input: refundRef, output: afterSaleSchema },
  'afterSales.history': { permission: 'signed_in', changesState: false, input: refundRef, output: z.array(historyEntrySchema) },
});

/** Negotiation-history role codes are undocumented; these are the ones seen so far, anything else stays 'unknown'. */
export const HISTORY_ROLES: Readonly<Record<number, HistoryEntry['role']>> = { 1: 'buyer', 2: 'merchant', 3: 'platform', 4: 'system' };

export function historyRole(raw: number): HistoryEntry['role'] {
  return HISTORY_ROLES[raw] ?? 'unknown';
}
