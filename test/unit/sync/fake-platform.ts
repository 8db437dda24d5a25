// An in-memory PlatformClient for sync/outbox unit tests: windows, cursors, versions, writes and scripted faults.
import {
  PlatformError,
  type ConfirmReceiptRequest,
  type ListRefundsQuery,
  type NegotiationEntry,
  type OrderInfo,
  type PlatformClient,
  type RefundDetail,
  type RefundPage,
  type SubmitReturnWaybillRequest,
} from '../../../src/main/core/platform/types';

export const DAY = 86_400_000;

type Method = keyof PlatformClient;
/** 'before': fails without applying; 'after': applies a write, then the answer is lost. */
export type Fault = 'before' | 'after' | PlatformError;

export class FakePlatform implements PlatformClient {
  readonly items = new Map<string, RefundDetail>();
  readonly orders = new Map<string, OrderInfo>();
  readonly history = new Map<string, NegotiationEntry[]>();
  readonly calls: Record<string, number> = {};
  readonly writes: { method: 'submitReturnWaybill' | 'confirmReceipt'; refundId: string; request: unknown }[] = [];
  maxWindowMs = DAY;
  /** Scripted faults, consumed in order per method. */
  readonly faults = new Map<Method, Fault[]>();
  /** Called on every call; a test may throw from it (e.g. to simulate a crash). */
  onCall: (method: Method) => void = () => {};

  constructor(readonly now: () => number) {}

  add(fields: Partial<RefundDetail> & { refundId: string }, order: Partial<OrderInfo> = {}): RefundDetail {
    const t = fields.updateTime ?? this.now();
    const item: RefundDetail = {
      orderId: String(BigInt(fields.refundId) + 1000n),
      itemId: '11',
      skuId: '12',
      skuNick: 'sku',
      handlingWay: 1,
      status: 30,
      negotiateStatus: 1,
      refundType: 1,
      receiptStatus: 1,
      refundFee: 1990,
      refundReason: 1,
      refundReasonDesc: 'reason',
      refundDesc: '',
      submitTime: t,
      createTime: t,
      updateTime: t,
      negotiateUpdateTime: t,
      endTime: null,
      expireTime: null,
      logisticsId: null,
      returnWaybill: null,
      returnFreight: null,
      buyerOpenId: 'buyer',
      ...fields,
    };
    this.items.set(item.refundId, item);
    if (!this.orders.has(item.orderId)) {
      this.orders.set(item.orderId, {
        orderId: item.orderId,
        itemTitle: `title ${item.orderId}`,
        skuDesc: 'sku',
        quantity: 1,
        freightInsurance: true,
        freightProviderType: 1,
        outboundWaybills: [],
        refunds: [],
        ...order,
      });
    }
    return item;
  }

  /** A change on the platform: fields merged, version moved forward. */
  change(refundId: string, fields: Partial<RefundDetail>): RefundDetail {
    const item = this.items.get(refundId)!;
    Object.assign(item, fields, { updateTime: Math.max(this.now(), item.updateTime + 1) });
    return item;
  }

  fault(method: Method, ...faults: Fault[]): void {
    this.faults.set(method, [...(this.faults.get(method) ?? []), ...faults]);
  }

  private enter(method: Method): Fault | undefined {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
    this.onCall(method);
    const fault = this.faults.get(method)?.shift();
    if (fault === 'before') throw new PlatformError({ kind: 'transient', message: `${method}: connection reset`, maybeApplied: false });
    if (fault instanceof PlatformError) throw fault;
    return fault;
  }

  private lost(method: Method): PlatformError {
    return new PlatformError({ kind: 'transient', message: `${method}: timed out (the write may have been applied)`, maybeApplied: true });
  }

  async listRefunds(q: ListRefundsQuery): Promise<RefundPage> {
    this.enter('listRefunds');
    if (q.endTime - q.beginTime > this.maxWindowMs)
      throw new PlatformError({ kind: 'window_too_large', message: 'range too large', code: '300004' });
    const all = [...this.items.values()]
      .filter((i) => i.updateTime >= q.beginTime && i.updateTime <= q.endTime)
      .sort((a, b) => b.updateTime - a.updateTime || b.refundId.localeCompare(a.refundId));
    const offset = q.pcursor === '' ? 0 : Number(q.pcursor.slice(2));
    const items = all.slice(offset, offset + q.pageSize).map((i) => this.summary(i));
    const next = offset + q.pageSize < all.length ? `o:${offset + q.pageSize}` : 'nomore';
    return { items, pcursor: next };
  }

  private summary(i: RefundDetail) {
    const { returnWaybill: _w, returnFreight: _f, buyerOpenId: _b, ...summary } = i;
    return structuredClone(summary);
  }

  async getRefundDetail(refundId: string): Promise<RefundDetail> {
    this.enter('getRefundDetail');
    const item = this.items.get(refundId);
    if (!item) throw new PlatformError({ kind: 'not_found', message: 'refund not found', code: '300011' });
    return structuredClone(item);
  }

  async getOrder(orderId: string): Promise<OrderInfo> {
    this.enter('getOrder');
    const order = this.orders.get(orderId);
    if (!order) throw new PlatformError({ kind: 'not_found', message: 'order not found' });
    return structuredClone(order);
  }

  async getNegotiationHistory(refundId: string): Promise<NegotiationEntry[]> {
    this.enter('getNegotiationHistory');
    return structuredClone(this.history.get(refundId) ?? []);
  }

  async submitReturnWaybill(request: SubmitReturnWaybillRequest): Promise<void> {
    const fault = this.enter('submitReturnWaybill');
    const item = this.items.get(request.refundId);
    if (!item) throw new PlatformError({ kind: 'not_found', message: 'refund not found', code: '300011' });
    if (item.status !== 30)
      throw new PlatformError({ kind: 'invalid_state', message: 'status', code: '300018', platformMessage: '当前售后状态不允许该操作' });
    this.change(request.refundId, { status: 40, returnWaybill: { expressNo: request.expressNo, expressCode: request.expressCode } });
    this.writes.push({ method: 'submitReturnWaybill', refundId: request.refundId, request });
    if (fault === 'after') throw this.lost('submitReturnWaybill');
  }

  async confirmReceipt(request: ConfirmReceiptRequest): Promise<void> {
    const fault = this.enter('confirmReceipt');
    const item = this.items.get(request.refundId);
    if (!item) throw new PlatformError({ kind: 'not_found', message: 'refund not found', code: '300011' });
    if (![22, 30, 40].includes(item.status)) {
      throw new PlatformError({ kind: 'invalid_state', message: 'status', code: '300018', platformMessage: '当前售后状态不允许该操作' });
    }
    if (request.expectedStatus !== undefined && request.expectedStatus !== item.status) {
      throw new PlatformError({
        kind: 'version_conflict',
        message: 'refund updated',
        code: '300014',
        platformMessage: '售后单已更新，请刷新后重试',
      });
    }
    this.change(request.refundId, { status: 50, receiptStatus: 2 });
    this.writes.push({ method: 'confirmReceipt', refundId: request.refundId, request });
    if (fault === 'after') throw this.lost('confirmReceipt');
  }
}
