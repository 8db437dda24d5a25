// The simulator's internal records: after-sales, orders and negotiation history. Ids are decimal strings.

export interface Waybill {
  expressNo: string;
  expressCode: number;
}

export interface ReturnFreightInfo {
  returnFreightAmount: number;
  returnFreightStatus: number; // 10 pending, 20 agreed, 30 paying, 40 paid, 50 closed
  returnFreightApplyDesc: string;
  returnFreightApplyImages: string[];
}

/** Negotiation-history role codes (undocumented on the platform; the simulator's choice). */
export const ROLE = { BUYER: 1, MERCHANT: 2, PLATFORM: 3, SYSTEM: 4 } as const;

export interface HistoryEntry {
  title: string;
  role: number;
  createTime: number;
  staffAccountId: string | null;
  staffAccountName: string | null;
}

export interface AfterSale {
  refundId: string;
  oid: string;
  itemId: string;
  skuId: string;
  skuNick: string;
  handlingWay: number;
  status: number;
  negotiateStatus: number;
  refundType: number;
  receiptStatus: number;
  refundFee: number;
  refundReason: number;
  refundReasonDesc: string;
  refundDesc: string;
  submitTime: number;
  createTime: number;
  updateTime: number;
  negotiateUpdateTime: number;
  endTime: number | null;
  expireTime: number | null;
  logisticsId: string | null;
  logisticsInfo: Waybill | null;
  returnFreightInfo: ReturnFreightInfo | null;
  buyerOpenId: string;
  pictures: string[];
  specialRefundType: number;
  exchangeInfo: { skuId: string; skuNick: string } | null;
  history: HistoryEntry[];
  /** The buyer withdrew the request: writes answer 300013. */
  cancelledByBuyer: boolean;
  /** When a confirmed refund (status 50) turns into 60. */
  settleAt: number | null;
}

export interface Order {
  oid: string;
  createTime: number;
  payTime: number;
  buyerOpenId: string;
  buyerNick: string;
  itemId: string;
  skuId: string;
  itemTitle: string;
  skuDesc: string;
  num: number;
  price: number;
  totalFee: number;
  /** orderItemInfo.serviceInfo.freight; null = the platform leaves the field out. */
  freight: boolean | null;
  freightProviderType: number | null;
  outbound: Waybill[];
}

/** Statuses that mean money has not moved yet (list type 8 "waiting for refund"). */
export function isWaitingForRefund(status: number): boolean {
  return status < 50;
}
