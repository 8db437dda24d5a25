// The after-sale API methods: parameter rules, the list's window and cursor rules, and response shapes.
import { RETURN_ADDRESS } from './catalog';
import { ApiError, CODE, num } from './envelope';
import { isKnownExpressCode } from './express';
import { EVIDENCE_METHODS, type UploadedFile } from './evidence';
import { DAY, WORLD_DAYS } from './generator';
import type { AfterSale, HistoryEntry, Order } from './model';
import { bad, idParam, intParam, plainParam, requiredInt, strArrayParam, strParam, type Param } from './params';
import type { Shop } from './shop';
import type { WireVariants } from './variants';

export interface ApiContext {
  shop: Shop;
  now: number;
  maxWindowMs: number;
  /** How the answer spells what the sources disagree on (end cursor, empty data, no-claim freight info). */
  variants: Required<WireVariants>;
  /** Asked by a write at the moment it would apply: true = it lost a race with another update (fault). */
  versionRace?: () => boolean;
  /** File parts of a multipart request, by field name (only methods marked multipart get any). */
  files?: Record<string, UploadedFile>;
}

export interface ApiMethod {
  /** The documented verb. Reads are also taken as a POST form, as some SDKs send every call (docs/simulator.md). */
  verb: 'GET' | 'POST';
  write: boolean;
  /** Accepts multipart/form-data (file parts) instead of the form encoding. */
  multipart?: boolean;
  handle(ctx: ApiContext, p: Param): unknown;
}

export const METHODS: Record<string, ApiMethod> = {
  'open.seller.order.refund.pcursor.list': { verb: 'GET', write: false, handle: listRefunds },
  'open.seller.order.refund.detail': {
    verb: 'GET',
    write: false,
    handle: (c, p) => detailView(mustGet(c, idParam(p, 'refundId')), c.variants),
  },
  'open.refund.comment.basic.list': {
    verb: 'GET',
    write: false,
    handle: (c, p) => mustGet(c, idParam(p, 'refundId')).history.map(historyView),
  },
  'open.order.detail': { verb: 'GET', write: false, handle: orderDetail },
  'open.refund.submit.returnInfo': { verb: 'POST', write: true, handle: submitReturnInfo },
  'open.seller.order.refund.confirm.receipt': { verb: 'POST', write: true, handle: confirmReceipt },
  ...EVIDENCE_METHODS,
};

function mustGet(c: ApiContext, refundId: string): AfterSale {
  const a = c.shop.world.get(refundId);
  if (!a) throw new ApiError(CODE.NOT_FOUND, '售后单不存在', 'REFUND_NOT_EXIST', `refundId ${refundId} not found`);
  return a;
}

// ---- list ------------------------------------------------------------------------------------------

/** Opaque keyset cursor: the last row's (time, refundId), bound to the query's order. */
function encodeCursor(t: number, id: string, queryType: number, sort: number): string {
  return Buffer.from(`v1|${queryType}|${sort}|${t}|${id}`, 'utf8').toString('base64url');
}

function decodeCursor(text: string, queryType: number, sort: number): { t: number; id: string } {
  const parts = Buffer.from(text, 'base64url').toString('utf8').split('|');
  const [v, q, s, t, id] = parts;
  if (parts.length !== 5 || v !== 'v1' || !t || !/^\d+$/.test(t) || !id || !/^\d+$/.test(id))
    throw bad('pcursor is not a cursor this API returned', 'INVALID_PCURSOR');
  if (Number(q) !== queryType || Number(s) !== sort)
    throw bad('pcursor belongs to a query with another queryType or sort', 'INVALID_PCURSOR');
  return { t: Number(t), id };
}

function listRefunds(c: ApiContext, p: Param): unknown {
  const beginTime = requiredInt(p, 'beginTime');
  const endTime = requiredInt(p, 'endTime');
  if (endTime <= beginTime)
    throw new ApiError(CODE.END_BEFORE_BEGIN, '结束时间必须大于开始时间', 'TIME_RANGE_ERROR', 'endTime must be after beginTime');
  if (beginTime < c.now - WORLD_DAYS * DAY)
    throw new ApiError(CODE.TOO_OLD, '只能查询最近90天的售后单', 'TIME_TOO_EARLY', 'beginTime is older than 90 days');
  if (endTime - beginTime > c.maxWindowMs)
    throw new ApiError(
      CODE.RANGE_TOO_LARGE,
      '查询时间范围过大',
      'TIME_RANGE_TOO_LARGE',
      `endTime - beginTime must be <= ${c.maxWindowMs} ms`,
    );
  const type = intParam(p, 'type') ?? 9;
  if (type !== 8 && type !== 9) throw new ApiError(CODE.WRONG_REFUND_TYPE, '售后类型错误', 'REFUND_TYPE_ERROR', 'type must be 8 or 9');
  const queryType = intParam(p, 'queryType') ?? 1;
  if (queryType !== 1 && queryType !== 2) throw bad('queryType must be 1 (create time) or 2 (update time)');
  const sort = intParam(p, 'sort') ?? 1;
  if (sort !== 1 && sort !== 2) throw bad('sort must be 1 (desc) or 2 (asc)');
  const pageSize = intParam(p, 'pageSize') ?? 10;
  if (pageSize < 1 || pageSize > 100) throw bad('pageSize must be 1..100');
  // Required by the platform's field schema (its own demo always sends it); the cursor does the paging.
  const currentPage = intParam(p, 'currentPage');
  if (currentPage === undefined) throw bad('currentPage is required', 'MISSING_CURRENT_PAGE');
  if (currentPage < 1) throw bad('currentPage must be >= 1');
  const pcursor = strParam(p, 'pcursor') ?? '';
  const end = c.variants.endCursor;
  if (pcursor === 'nomore') return emptyPage(c);
  const after = pcursor === '' ? null : decodeCursor(pcursor, queryType, sort);
  const page = c.shop.world.list({
    beginTime,
    endTime,
    queryType,
    type,
    status: intParam(p, 'status'),
    negotiateStatus: intParam(p, 'negotiateStatus'),
    orderId: idParam(p, 'orderId', true),
    descending: sort === 1,
    pageSize,
    after,
  });
  const last = page.items[page.items.length - 1];
  if (!last) return emptyPage(c);
  const next = page.more ? encodeCursor(queryType === 2 ? last.updateTime : last.createTime, last.refundId, queryType, sort) : end;
  return { pcursor: next, refundOrderInfoList: page.items.map(summaryView) };
}

/** A page without rows, spelled as the chosen variant: `data` as an object with the end cursor, null, or absent. */
function emptyPage(c: ApiContext): unknown {
  if (c.variants.emptyListData === 'null') return null;
  if (c.variants.emptyListData === 'absent') return undefined;
  return { pcursor: c.variants.endCursor, refundOrderInfoList: [] };
}

// ---- views -----------------------------------------------------------------------------------------

/** Absent optional values are left out of the JSON (the platform serializes with NON_NULL). */
function compact(o: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(o)) if (o[k] === null || o[k] === undefined) delete o[k];
  return o;
}

export function summaryView(a: AfterSale): Record<string, unknown> {
  return compact({
    refundId: num(a.refundId),
    oid: num(a.oid),
    itemId: num(a.itemId),
    skuId: num(a.skuId),
    skuNick: a.skuNick,
    handlingWay: a.handlingWay,
    status: a.status,
    negotiateStatus: a.negotiateStatus,
    refundType: a.refundType,
    receiptStatus: a.receiptStatus,
    refundFee: a.refundFee,
    refundReason: a.refundReason,
    refundReasonDesc: a.refundReasonDesc,
    refundDesc: a.refundDesc,
    submitTime: a.submitTime,
    createTime: a.createTime,
    updateTime: a.updateTime,
    negotiateUpdateTime: a.negotiateUpdateTime,
    endTime: a.endTime,
    expireTime: a.expireTime,
    logisticsId: a.logisticsId === null ? null : num(a.logisticsId),
  });
}

/** What an after-sale without a postage claim carries, per variant: nothing, or an info full of zeros (no status). */
const ZERO_CLAIM = { returnFreightAmount: 0, returnFreightApplyDesc: '', returnFreightApplyImages: [] };

function detailView(a: AfterSale, variants: Required<WireVariants>): Record<string, unknown> {
  return compact({
    ...summaryView(a),
    logisticsInfo: a.logisticsInfo ? { expressNo: a.logisticsInfo.expressNo, expressCode: a.logisticsInfo.expressCode } : null,
    returnFreightInfo: a.returnFreightInfo
      ? { ...a.returnFreightInfo, returnFreightApplyImages: [...a.returnFreightInfo.returnFreightApplyImages] }
      : variants.noClaimFreight === 'zeros'
        ? { ...ZERO_CLAIM, returnFreightApplyImages: [] }
        : null,
    address: { ...RETURN_ADDRESS },
    buyerOpenId: a.buyerOpenId,
    pictures: [...a.pictures],
    logisticsRiskInfos: [],
    exchangeInfo: a.exchangeInfo ? { skuId: num(a.exchangeInfo.skuId), skuNick: a.exchangeInfo.skuNick } : null,
    specialRefundType: a.specialRefundType,
  });
}

function historyView(h: HistoryEntry): Record<string, unknown> {
  return {
    title: h.title,
    role: h.role,
    createTime: h.createTime,
    staffAccountId: h.staffAccountId === null ? null : num(h.staffAccountId),
    staffAccountName: h.staffAccountName,
  };
}

function orderDetail(c: ApiContext, p: Param): unknown {
  const oid = idParam(p, 'oid');
  const o: Order | undefined = c.shop.world.getOrder(oid);
  if (!o) throw new ApiError(CODE.NOT_FOUND, '订单不存在', 'ORDER_NOT_EXIST', `oid ${oid} not found`);
  const serviceInfo: Record<string, unknown> = {};
  if (o.freight !== null) serviceInfo.freight = o.freight;
  if (o.freightProviderType !== null) serviceInfo.freightProviderType = o.freightProviderType;
  return {
    orderBaseInfo: {
      oid: num(o.oid),
      createTime: o.createTime,
      payTime: o.payTime,
      buyerOpenId: o.buyerOpenId,
      buyerNick: o.buyerNick,
      totalFee: o.totalFee,
      status: o.outbound.length > 0 ? 40 : 30,
    },
    orderItemInfo: {
      itemId: num(o.itemId),
      skuId: num(o.skuId),
      itemTitle: o.itemTitle,
      skuDesc: o.skuDesc,
      num: o.num,
      price: o.price,
      serviceInfo,
    },
    orderLogisticsInfo: o.outbound.map((w) => ({ expressNo: w.expressNo, expressCode: w.expressCode })),
    orderRefundList: c.shop.world.refundsOfOrder(o.oid).map((a) => ({ refundId: num(a.refundId), refundStatus: a.status })),
  };
}

// ---- writes ----------------------------------------------------------------------------------------

function submitReturnInfo(c: ApiContext, p: Param): unknown {
  const refundId = idParam(p, 'refundId');
  const expressNo = strParam(p, 'expressNo');
  if (!expressNo || !/^[0-9A-Za-z-]{6,32}$/.test(expressNo)) throw bad('expressNo must be 6..32 letters/digits', 'INVALID_EXPRESS_NO');
  const expressCode = intParam(p, 'expressCode');
  if (expressCode === undefined) throw bad('expressCode is required');
  if (!isKnownExpressCode(expressCode)) throw bad(`expressCode ${expressCode} is not a known courier code`, 'INVALID_EXPRESS_CODE');
  c.shop.submitReturnInfo(refundId, { expressNo, expressCode }, plainParam(p), c.versionRace);
  return undefined;
}

function confirmReceipt(c: ApiContext, p: Param): unknown {
  c.shop.confirmReceipt(
    {
      refundId: idParam(p, 'refundId'),
      status: intParam(p, 'status'),
      returnFreightHandlingAdvice: intParam(p, 'returnFreightHandlingAdvice'),
      returnFreightAmount: intParam(p, 'returnFreightAmount'),
      returnFreightRejectDesc: strParam(p, 'returnFreightRejectDesc'),
      returnFreightRejectImages: strArrayParam(p, 'returnFreightRejectImages'),
    },
    plainParam(p),
    c.versionRace,
  );
  return undefined;
}
