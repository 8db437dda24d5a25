// Zod schemas of Kuaishou responses (after lossless parsing) and their mapping to the domain types of types.ts.
import { z } from 'zod';
import type { NegotiationEntry, OrderInfo, RefundDetail, RefundPage, RefundSummary, ReturnFreightClaim, Waybill } from './types';

/** An id as the lossless parser hands it over: a safe integer or the decimal text of a larger one. */
const wireIdSchema = z.union([z.string().regex(/^\d{1,20}$/), z.number().int().nonnegative()]).transform(String);
const optionalIdSchema = z
  .union([wireIdSchema, z.literal('')])
  .nullish()
  .transform((value) => (value === '' || value === null || value === undefined || value === '0' ? null : value));
const intSchema = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d{1,15}$/)
    .transform(Number),
]);
const optionalIntSchema = intSchema.nullish().transform((value) => value ?? null);
const timeOrNull = intSchema.nullish().transform((value) => (value ? value : null));
const text = z
  .string()
  .nullish()
  .transform((value) => value ?? '');
const textOrNull = z
  .string()
  .nullish()
  .transform((value) => (value ? value : null));

/** The envelope every answer shares. Unknown extra fields are tolerated and ignored. */
export const envelopeSchema = z.looseObject({
  result: z.union([z.number(), z.string()]).nullish(),
  code: z.union([z.number(), z.string()]).nullish(),
  sub_code: z.union([z.number(), z.string()]).nullish(),
  error: z.string().nullish(),
  error_msg: z.string().nullish(),
  msg: z.string().nullish(),
  sub_msg: z.string().nullish(),
  requestId: z.union([z.string(), z.number()]).nullish(),
  request_id: z.union([z.string(), z.number()]).nullish(),
  data: z.unknown().optional(),
});
export type WireEnvelope = z.infer<typeof envelopeSchema>;

export function isSuccess(envelope: WireEnvelope): boolean {
  return String(envelope.result ?? '') === '1';
}

export function requestIdOf(envelope: WireEnvelope): string | null {
  const id = envelope.requestId ?? envelope.request_id;
  return id === null || id === undefined || id === '' ? null : String(id);
}

/** Codes and messages of a failed envelope, for the classifier. `result` counts only when it is not 1. */
export function failureFactsOf(envelope: WireEnvelope): { codes: string[]; messages: string[] } {
  const codes = [envelope.result, envelope.code, envelope.sub_code]
    .filter((value) => value !== null && value !== undefined && value !== '' && String(value) !== '1' && String(value) !== '0')
    .map(String);
  const messages = [envelope.error, envelope.error_msg, envelope.msg, envelope.sub_msg].filter((m): m is string => !!m);
  return { codes: [...new Set(codes)], messages };
}

const refundSummaryWire = z.looseObject({
  refundId: wireIdSchema,
  oid: wireIdSchema,
  itemId: optionalIdSchema,
  skuId: optionalIdSchema,
  skuNick: text,
  handlingWay: intSchema,
  status: intSchema,
  negotiateStatus: optionalIntSchema,
  refundType: optionalIntSchema,
  receiptStatus: optionalIntSchema,
  refundFee: optionalIntSchema,
  refundReason: optionalIntSchema,
  refundReasonDesc: text,
  refundDesc: text,
  submitTime: timeOrNull,
  createTime: timeOrNull,
  updateTime: intSchema,
  negotiateUpdateTime: timeOrNull,
  endTime: timeOrNull,
  expireTime: timeOrNull,
  logisticsId: optionalIdSchema,
});
type RefundSummaryWire = z.infer<typeof refundSummaryWire>;

function toSummary(w: RefundSummaryWire): RefundSummary {
  return {
    refundId: w.refundId,
    orderId: w.oid,
    itemId: w.itemId ?? '',
    skuId: w.skuId ?? '',
    skuNick: w.skuNick,
    handlingWay: w.handlingWay,
    status: w.status,
    negotiateStatus: w.negotiateStatus ?? 0,
    refundType: w.refundType ?? 0,
    receiptStatus: w.receiptStatus ?? 0,
    refundFee: w.refundFee ?? 0,
    refundReason: w.refundReason,
    refundReasonDesc: w.refundReasonDesc,
    refundDesc: w.refundDesc,
    submitTime: w.submitTime ?? w.createTime ?? 0,
    createTime: w.createTime ?? 0,
    updateTime: w.updateTime,
    negotiateUpdateTime: w.negotiateUpdateTime,
    endTime: w.endTime,
    expireTime: w.expireTime,
    logisticsId: w.logisticsId,
  };
}

/**
 * The end of a list is `"nomore"` in the documents; an SDK also stops on an empty cursor, and the platform's demo
 * sends a blank one for the first page, so an empty, blank or absent cursor is read as the end too.
 */
function cursorOf(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return 'nomore';
  const text = String(value);
  return text.trim() === '' ? 'nomore' : text;
}

/** A success with `data` null or absent (seen on near-empty answers) is an empty last page. */
export const refundPageWire = z
  .looseObject({
    pcursor: z.union([z.string(), z.number()]).nullish(),
    refundOrderInfoList: z.array(refundSummaryWire).nullish(),
  })
  .nullish()
  .transform((d): RefundPage => ({
    items: (d?.refundOrderInfoList ?? []).map(toSummary),
    pcursor: cursorOf(d?.pcursor),
  }));

const waybillWire = z
  .looseObject({ expressNo: z.string().nullish(), expressCode: optionalIntSchema })
  .nullish()
  .transform((w): Waybill | null =>
    w && w.expressNo && w.expressNo.trim() !== '' ? { expressNo: w.expressNo, expressCode: w.expressCode ?? 0 } : null,
  );

const freightWire = z
  .looseObject({
    returnFreightAmount: optionalIntSchema,
    returnFreightStatus: optionalIntSchema,
    returnFreightApplyDesc: text,
    returnFreightApplyImages: z.array(z.string()).nullish(),
  })
  .nullish()
  // Whether "no claim" is an absent returnFreightInfo or one full of zeros is not documented: an amount of 0 with
  // no status is read as no claim, so no freight field is sent (sending one without a claim is an error).
  .transform((f): ReturnFreightClaim | null =>
    f && f.returnFreightAmount !== null && !(f.returnFreightAmount === 0 && !f.returnFreightStatus)
      ? {
          amount: f.returnFreightAmount,
          status: f.returnFreightStatus ?? 0,
          applyDesc: f.returnFreightApplyDesc,
          images: f.returnFreightApplyImages ?? [],
        }
      : null,
  );

export const refundDetailWire = refundSummaryWire
  .extend({ logisticsInfo: waybillWire, returnFreightInfo: freightWire, buyerOpenId: textOrNull })
  .transform((w): RefundDetail => ({
    ...toSummary(w),
    returnWaybill: w.logisticsInfo,
    returnFreight: w.returnFreightInfo,
    buyerOpenId: w.buyerOpenId,
  }));

const serviceInfoWire = z
  .looseObject({ freight: z.union([z.boolean(), z.number()]).nullish(), freightProviderType: optionalIntSchema })
  .nullish();

const orderItemWire = z.looseObject({
  itemTitle: text,
  skuDesc: text,
  num: optionalIntSchema,
  serviceInfo: serviceInfoWire,
  freightProviderType: optionalIntSchema,
});

export const orderDetailWire = z
  .looseObject({
    orderBaseInfo: z.looseObject({ oid: wireIdSchema }).nullish(),
    oid: optionalIdSchema,
    orderItemInfo: z.union([orderItemWire, z.array(orderItemWire)]).nullish(),
    orderLogisticsInfo: z.array(waybillWire).nullish(),
    orderRefundList: z.array(z.looseObject({ refundId: wireIdSchema, refundStatus: optionalIntSchema })).nullish(),
  })
  .transform((d) => {
    const item = Array.isArray(d.orderItemInfo) ? d.orderItemInfo[0] : d.orderItemInfo;
    const freight = item?.serviceInfo?.freight;
    const order: Omit<OrderInfo, 'orderId'> & { orderId: string | null } = {
      orderId: d.orderBaseInfo?.oid ?? d.oid ?? null,
      itemTitle: item?.itemTitle ?? '',
      skuDesc: item?.skuDesc ?? '',
      quantity: item?.num ?? 1,
      freightInsurance: freight === null || freight === undefined ? null : Boolean(freight),
      freightProviderType: item?.serviceInfo?.freightProviderType ?? item?.freightProviderType ?? null,
      outboundWaybills: (d.orderLogisticsInfo ?? []).filter((w): w is Waybill => w !== null),
      refunds: (d.orderRefundList ?? []).map((r) => ({ refundId: r.refundId, refundStatus: r.refundStatus ?? 0 })),
    };
    return order;
  });

const commentWire = z.looseObject({
  title: text,
  role: optionalIntSchema,
  createTime: intSchema,
  staffAccountId: optionalIdSchema,
  staffAccountName: textOrNull,
});

export const commentListWire = z
  .array(commentWire)
  .nullish()
  .transform((list): NegotiationEntry[] =>
    (list ?? []).map((c) => ({
      title: c.title,
      role: c.role ?? 0,
      createTime: c.createTime,
      staffAccountId: c.staffAccountId,
      staffAccountName: c.staffAccountName,
    })),
  );

/** OAuth answers (`/oauth2/access_token`, `/oauth2/refresh_token`) are flat, without `data`. */
export const tokenWire = z.looseObject({
  access_token: z.string().min(1),
  expires_in: intSchema.nullish(),
  refresh_token: z.string().min(1).nullish(),
  refresh_token_expires_in: intSchema.nullish(),
  open_id: z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v) => (v === null || v === undefined ? null : String(v))),
  scopes: z.union([z.array(z.string()), z.string()]).nullish(),
});
export type TokenAnswer = z.infer<typeof tokenWire>;
