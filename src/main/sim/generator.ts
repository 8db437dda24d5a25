// Deterministic world generator: after-sale number i of a seeded world is a pure function of (seed, i, anchor).
// `core(i)` is the cheap part kept in typed arrays for indexing; `build(i)` makes the full record on demand.
import { BUYER_DESCS, CATALOG, REFUND_REASONS, pictureUrl } from './catalog';
import { courierName, outboundWaybill, returnWaybill } from './express';
import { ROLE, type AfterSale, type HistoryEntry, type Order, type ReturnFreightInfo } from './model';
import { Rng } from './prng';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const WORLD_DAYS = 90;

const ID_STRIDE = 1000n;
// Refund and order id ranges; "big" ones lie above 2^53 (9007199254740992) like many real Kuaishou ids.
const REFUND_SMALL = 2_140_000_000_000_000n;
const REFUND_BIG = 21_400_000_000_000_000n;
const ORDER_SMALL = 2_150_000_000_000_000n;
const ORDER_BIG = 21_500_000_000_000_000n;
export const NEW_REFUND_SMALL = 2_160_000_000_000_000n;
export const NEW_REFUND_BIG = 21_600_000_000_000_000n;
export const NEW_ORDER_SMALL = 2_170_000_000_000_000n;
export const NEW_ORDER_BIG = 21_700_000_000_000_000n;

export interface Core {
  createTime: number;
  updateTime: number;
  handlingWay: number;
  status: number;
  bigRefund: boolean;
  refundLow: number;
  bigOrder: boolean;
  orderLow: number;
}

type Table = readonly (readonly [number, number])[];
const HW: Table = [
  [1, 52],
  [10, 40],
  [3, 7],
  [4, 1],
];
const STATUS: Record<number, [Table, Table, Table]> = {
  // [age < 2 days, 2-10 days, older]
  1: [
    [
      [11, 22],
      [30, 35],
      [40, 20],
      [12, 3],
      [21, 2],
      [60, 12],
      [70, 6],
    ],
    [
      [30, 18],
      [40, 20],
      [22, 3],
      [21, 3],
      [12, 2],
      [50, 2],
      [60, 37],
      [70, 15],
    ],
    [
      [30, 3],
      [40, 5],
      [60, 70],
      [70, 22],
    ],
  ],
  10: [
    [
      [10, 40],
      [20, 5],
      [12, 5],
      [60, 40],
      [70, 10],
    ],
    [
      [10, 5],
      [20, 4],
      [60, 72],
      [70, 19],
    ],
    [
      [60, 76],
      [70, 24],
    ],
  ],
  3: [
    [
      [11, 20],
      [30, 30],
      [40, 25],
      [45, 15],
      [70, 10],
    ],
    [
      [30, 20],
      [40, 20],
      [45, 30],
      [60, 15],
      [70, 15],
    ],
    [
      [45, 10],
      [60, 65],
      [70, 25],
    ],
  ],
  4: [
    [
      [10, 60],
      [60, 40],
    ],
    [
      [60, 90],
      [70, 10],
    ],
    [
      [60, 90],
      [70, 10],
    ],
  ],
};
/** How long after creation the last change happened, by status: [min, max] ms. */
const DELTA: Record<number, [number, number]> = {
  10: [MINUTE, 2 * HOUR],
  11: [MINUTE, 2 * HOUR],
  12: [HOUR, 24 * HOUR],
  20: [HOUR, 4 * DAY],
  21: [HOUR, 4 * DAY],
  22: [HOUR, 4 * DAY],
  30: [10 * MINUTE, 24 * HOUR],
  40: [HOUR, 3 * DAY],
  45: [2 * DAY, 5 * DAY],
  50: [3 * DAY, 8 * DAY],
  60: [HOUR, 10 * DAY],
  70: [HOUR, 7 * DAY],
};

export class WorldGenerator {
  readonly origin: number;
  private readonly per: number;

  constructor(
    readonly seed: number,
    readonly count: number,
    readonly anchor: number,
  ) {
    this.origin = anchor - WORLD_DAYS * DAY;
    this.per = (WORLD_DAYS * DAY - 2 * HOUR) / Math.max(1, count);
  }

  core(i: number): Core {
    const r = new Rng(this.seed, i, 1);
    // Strictly increasing in i, so list-by-create-time needs no sort.
    const createTime = this.origin + HOUR + Math.floor((i + 0.9 * r.next()) * this.per);
    const handlingWay = r.weighted(HW);
    const age = this.anchor - createTime;
    const tables = STATUS[handlingWay] ?? STATUS[1]!;
    const status = r.weighted(age < 2 * DAY ? tables[0] : age < 10 * DAY ? tables[1] : tables[2]);
    const [lo, hi] = DELTA[status] ?? [MINUTE, HOUR];
    const updateTime = Math.min(this.anchor - 1000, createTime + r.int(lo, hi));
    return {
      createTime,
      updateTime: Math.max(createTime, updateTime),
      handlingWay,
      status,
      bigRefund: r.chance(0.45),
      refundLow: r.int(0, 999),
      bigOrder: r.chance(0.5),
      orderLow: r.int(0, 999),
    };
  }

  refundId(i: number, c: Core = this.core(i)): string {
    return String((c.bigRefund ? REFUND_BIG : REFUND_SMALL) + BigInt(i) * ID_STRIDE + BigInt(c.refundLow));
  }

  orderId(i: number, c: Core = this.core(i)): string {
    return String((c.bigOrder ? ORDER_BIG : ORDER_SMALL) + BigInt(i) * ID_STRIDE + BigInt(c.orderLow));
  }

  /** Index of a generated refund id, or -1. */
  indexOfRefund(refundId: string): number {
    return this.decode(refundId, REFUND_SMALL, REFUND_BIG, (i) => this.refundId(i));
  }

  indexOfOrder(oid: string): number {
    return this.decode(oid, ORDER_SMALL, ORDER_BIG, (i) => this.orderId(i));
  }

  private decode(id: string, small: bigint, big: bigint, make: (i: number) => string): number {
    if (!/^[1-9]\d{0,19}$/.test(id)) return -1;
    const n = BigInt(id);
    const span = BigInt(this.count) * ID_STRIDE;
    const base = n >= big && n < big + span ? big : n >= small && n < small + span ? small : null;
    if (base === null) return -1;
    const i = Number((n - base) / ID_STRIDE);
    return make(i) === id ? i : -1;
  }

  build(i: number): { afterSale: AfterSale; order: Order } {
    const c = this.core(i);
    const r = new Rng(this.seed, i, 2);
    const refundId = this.refundId(i, c);
    const oid = this.orderId(i, c);
    return buildRecord(r, {
      refundId,
      oid,
      handlingWay: c.handlingWay,
      status: c.status,
      createTime: c.createTime,
      updateTime: c.updateTime,
    });
  }
}

export interface RecordSeed {
  refundId: string;
  oid: string;
  handlingWay: number;
  status: number;
  createTime: number;
  updateTime: number;
}

/** The full after-sale and its order, drawn from `r` around the given core facts. */
export function buildRecord(r: Rng, s: RecordSeed): { afterSale: AfterSale; order: Order } {
  const item = r.pick(CATALOG);
  const sku = r.pick(item.skus);
  const num = r.weighted([
    [1, 85],
    [2, 12],
    [3, 3],
  ] as const);
  const buyerOpenId = `f19${r.hex(29)}`;
  const orderCreate = s.createTime - r.int(6 * HOUR, 12 * DAY);
  const shipped = s.handlingWay !== 10 || r.chance(0.55);
  const outbound = shipped ? [outboundWaybill(r)] : [];
  if (shipped && r.chance(0.03)) outbound.push(outboundWaybill(r));
  const freight = r.chance(0.03) ? null : r.chance(0.45);
  const order: Order = {
    oid: s.oid,
    createTime: orderCreate,
    payTime: orderCreate + r.int(5_000, 20 * MINUTE),
    buyerOpenId,
    buyerNick: `快手用户${r.digits(10)}`,
    itemId: item.itemId,
    skuId: sku.skuId,
    itemTitle: item.title,
    skuDesc: sku.nick,
    num,
    price: sku.price,
    totalFee: sku.price * num,
    freight,
    freightProviderType: freight
      ? r.weighted([
          [1, 70],
          [2, 30],
        ] as const)
      : null,
    outbound,
  };
  const [reason, reasonDesc] = r.pick(REFUND_REASONS);
  const shippedBack = [40, 45, 50].includes(s.status) || (s.status === 60 && s.handlingWay !== 10 && s.handlingWay !== 4);
  const logisticsInfo = shippedBack ? returnWaybill(r) : null;
  const hasClaim = s.handlingWay === 1 && [22, 30, 40, 50, 60].includes(s.status) && r.chance(0.1);
  const returnFreightInfo: ReturnFreightInfo | null = hasClaim
    ? {
        returnFreightAmount: r.int(6, 18) * 100,
        returnFreightStatus: s.status >= 50 ? r.pick([20, 40]) : 10,
        returnFreightApplyDesc: r.pick(['退货运费申请商家承担', '商品质量问题，运费请商家承担', '发错货导致退回，申请运费']),
        returnFreightApplyImages: Array.from({ length: r.int(1, 3) }, (_, k) => pictureUrl(`${s.refundId}-f${k}`)),
      }
    : null;
  const negotiateStatus = s.status === 12 ? 3 : [10, 11, 20, 21].includes(s.status) ? 1 : s.status === 70 ? r.pick([1, 2]) : 2;
  const cancelledByBuyer = s.status === 70 && r.chance(0.7);
  const afterSale: AfterSale = {
    refundId: s.refundId,
    oid: s.oid,
    itemId: item.itemId,
    skuId: sku.skuId,
    skuNick: sku.nick,
    handlingWay: s.handlingWay,
    status: s.status,
    negotiateStatus,
    refundType: r.chance(0.05) ? 2 : 1,
    receiptStatus: s.status === 50 || (s.status === 60 && shippedBack) ? 2 : 1,
    refundFee: Math.min(order.totalFee, sku.price * r.int(1, num)),
    refundReason: reason,
    refundReasonDesc: reasonDesc,
    refundDesc: r.pick(BUYER_DESCS),
    submitTime: s.createTime,
    createTime: s.createTime,
    updateTime: s.updateTime,
    negotiateUpdateTime: s.updateTime,
    endTime: null,
    expireTime: null,
    logisticsId: logisticsInfo ? String(BigInt(s.refundId) + 7n) : null,
    logisticsInfo,
    returnFreightInfo,
    buyerOpenId,
    pictures: r.chance(0.4) ? Array.from({ length: r.int(1, 3) }, (_, k) => pictureUrl(`${s.refundId}-p${k}`)) : [],
    specialRefundType: 0,
    exchangeInfo: s.handlingWay === 3 ? { skuId: r.pick(item.skus).skuId, skuNick: r.pick(item.skus).nick } : null,
    history: [],
    cancelledByBuyer,
    settleAt: null,
  };
  setDeadlines(afterSale);
  afterSale.history = historyFor(afterSale);
  return { afterSale, order };
}

/** Platform deadlines for the current step (buyer ship-back, merchant auto-confirm…). */
export function setDeadlines(a: AfterSale): void {
  const due: Record<number, number> = { 10: 2 * DAY, 11: 2 * DAY, 12: 5 * DAY, 30: 7 * DAY, 40: 10 * DAY, 45: 10 * DAY };
  const d = due[a.status];
  a.endTime = d === undefined ? null : a.updateTime + d;
  a.expireTime = a.endTime;
}

function entry(title: string, role: number, createTime: number): HistoryEntry {
  const merchant = role === ROLE.MERCHANT;
  return { title, role, createTime, staffAccountId: merchant ? '1000001' : null, staffAccountName: merchant ? '店主' : null };
}

/** A plausible negotiation history for the record's current status. */
function historyFor(a: AfterSale): HistoryEntry[] {
  const t0 = a.createTime;
  const t1 = a.updateTime;
  const at = (f: number) => Math.round(t0 + (t1 - t0) * f);
  const out: HistoryEntry[] = [];
  const ret = a.handlingWay === 1 || a.handlingWay === 3;
  out.push(entry(ret ? (a.handlingWay === 3 ? '买家发起换货申请' : '买家发起退货退款申请') : '买家发起仅退款申请', ROLE.BUYER, t0));
  const wb = a.logisticsInfo ? `买家已寄回商品：${courierName(a.logisticsInfo.expressCode)} ${a.logisticsInfo.expressNo}` : '';
  switch (a.status) {
    case 12:
      out.push(entry('商家拒绝售后申请，等待买家处理', ROLE.MERCHANT, t1));
      break;
    case 20:
    case 21:
      out.push(entry('平台客服介入处理中', ROLE.PLATFORM, t1));
      break;
    case 22:
      out.push(entry('平台介入：已确认退货退款，等待买家退货', ROLE.PLATFORM, t1));
      break;
    case 30:
      out.push(entry('商家同意退货，等待买家寄回商品', ROLE.MERCHANT, t1));
      break;
    case 40:
      out.push(entry('商家同意退货，等待买家寄回商品', ROLE.MERCHANT, at(0.3)));
      out.push(entry(wb, ROLE.BUYER, t1));
      break;
    case 45:
      out.push(entry('商家同意换货', ROLE.MERCHANT, at(0.2)));
      out.push(entry(wb, ROLE.BUYER, at(0.5)));
      out.push(entry('商家已发出换货商品', ROLE.MERCHANT, t1));
      break;
    case 50:
      out.push(entry('商家同意退货，等待买家寄回商品', ROLE.MERCHANT, at(0.2)));
      out.push(entry(wb, ROLE.BUYER, at(0.5)));
      out.push(entry('商家已确认收货，退款执行中', ROLE.MERCHANT, t1));
      break;
    case 60:
      if (ret && wb) {
        out.push(entry('商家同意退货，等待买家寄回商品', ROLE.MERCHANT, at(0.2)));
        out.push(entry(wb, ROLE.BUYER, at(0.5)));
        out.push(entry('商家已确认收货', ROLE.MERCHANT, at(0.95)));
      } else {
        out.push(entry('商家同意退款', ROLE.MERCHANT, at(0.9)));
      }
      out.push(entry('退款成功', ROLE.SYSTEM, t1));
      break;
    case 70:
      out.push(a.cancelledByBuyer ? entry('买家撤销售后申请', ROLE.BUYER, t1) : entry('售后关闭：买家超时未处理', ROLE.SYSTEM, t1));
      break;
    default:
      break;
  }
  return out;
}
