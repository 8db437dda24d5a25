// The platform as the desk sees it, in domain terms: the PlatformClient interface and its typed errors.
// Ids are decimal strings, money integer fen, time epoch ms. Kuaishou-specific wire details stay in the client.

export interface RefundSummary {
  refundId: string;
  orderId: string; // the platform's `oid`
  itemId: string;
  skuId: string;
  skuNick: string;
  handlingWay: number; // 1 return+refund, 10 refund only, 3 exchange, 4 补寄, 5 repair; unknown kept verbatim
  status: number; // platform status code, unknown kept verbatim
  negotiateStatus: number;
  refundType: number;
  receiptStatus: number;
  refundFee: number; // fen
  refundReason: number | null;
  refundReasonDesc: string;
  refundDesc: string;
  submitTime: number;
  createTime: number;
  updateTime: number; // the refund's version
  negotiateUpdateTime: number | null;
  endTime: number | null; // platform deadline for the current step, if any
  expireTime: number | null;
  logisticsId: string | null;
}

export interface Waybill {
  expressNo: string;
  expressCode: number;
}

export interface ReturnFreightClaim {
  amount: number; // fen
  status: number; // 10 pending, 20 agreed, 30 paying, 40 paid, 50 closed
  applyDesc: string;
  images: string[];
}

export interface RefundDetail extends RefundSummary {
  returnWaybill: Waybill | null; // logisticsInfo: the buyer's RETURN waybill
  returnFreight: ReturnFreightClaim | null; // returnFreightInfo: postage claim, NOT freight insurance
  buyerOpenId: string | null;
}

export interface OrderInfo {
  orderId: string;
  itemTitle: string;
  skuDesc: string;
  quantity: number;
  freightInsurance: boolean | null; // orderItemInfo.serviceInfo.freight; null when the platform did not say
  freightProviderType: number | null;
  outboundWaybills: Waybill[]; // orderLogisticsInfo: the OUTBOUND shipment
  refunds: { refundId: string; refundStatus: number }[];
}

export interface NegotiationEntry {
  title: string;
  role: number; // raw role code; see roleLabel in the shared domain for display
  createTime: number;
  staffAccountId: string | null;
  staffAccountName: string | null;
}

export interface ListRefundsQuery {
  beginTime: number;
  endTime: number;
  pcursor: string; // "" for the first page
  pageSize: number; // <= 100
  queryType: 1 | 2; // 1 by create time, 2 by update time
  type: 8 | 9; // 8 waiting for refund, 9 all
}

export interface RefundPage {
  items: RefundSummary[];
  pcursor: string; // "nomore" at the end (an empty or blank cursor from the platform is read as the end too)
}

export type ReturnFreightDecision = { advice: 'agree'; amount: number } | { advice: 'reject'; reason: string; images: string[] };

export interface ConfirmReceiptRequest {
  refundId: string;
  expectedStatus?: number;
  returnFreight?: ReturnFreightDecision; // required exactly when the detail has a returnFreight claim
}

export interface SubmitReturnWaybillRequest {
  refundId: string;
  expressNo: string;
  expressCode: number;
}

export interface PlatformClient {
  listRefunds(query: ListRefundsQuery): Promise<RefundPage>;
  getRefundDetail(refundId: string): Promise<RefundDetail>;
  getOrder(orderId: string): Promise<OrderInfo>;
  getNegotiationHistory(refundId: string): Promise<NegotiationEntry[]>;
  submitReturnWaybill(request: SubmitReturnWaybillRequest): Promise<void>;
  confirmReceipt(request: ConfirmReceiptRequest): Promise<void>;
}

export type PlatformErrorKind =
  | 'auth_expired' // refresh and retry
  | 'auth_revoked' // the shop must be authorized again
  | 'rate_limited' // QPS: back off and retry
  | 'quota_exhausted' // daily quota: stop until tomorrow
  | 'window_too_large' // 300004/300019: shrink the time window
  | 'version_conflict' // 300014: refresh and retry
  | 'not_found' // 300011
  | 'invalid_state' // 300002/300010/300013/300016/300017/300018, 21, 300012: a business refusal
  | 'invalid_request' // bad parameters, bad signature
  | 'transient' // network, timeout, 5xx
  | 'unknown';

export class PlatformError extends Error {
  readonly kind: PlatformErrorKind;
  readonly code: string | null;
  readonly subCode: string | null;
  readonly platformMessage: string;
  readonly requestId: string | null;
  /** For writes: true when the request may have reached the platform (timeout/reset after sending). */
  readonly maybeApplied: boolean;

  constructor(init: {
    kind: PlatformErrorKind;
    message: string;
    code?: string | null;
    subCode?: string | null;
    platformMessage?: string;
    requestId?: string | null;
    maybeApplied?: boolean;
  }) {
    super(init.message);
    this.name = 'PlatformError';
    this.kind = init.kind;
    this.code = init.code ?? null;
    this.subCode = init.subCode ?? null;
    this.platformMessage = init.platformMessage ?? '';
    this.requestId = init.requestId ?? null;
    this.maybeApplied = init.maybeApplied ?? false;
  }

  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'rate_limited' || this.kind === 'auth_expired' || this.kind === 'version_conflict';
  }
}
