// The simulated shop's business rules: the write methods' state machine, settlement and scenario edits.
import { CODE, ApiError } from './envelope';
import { courierName } from './express';
import { setDeadlines } from './generator';
import { ROLE, type AfterSale, type HistoryEntry, type Order, type ReturnFreightInfo, type Waybill } from './model';
import type { World } from './world';

export interface AppliedWrite {
  method: 'submitReturnInfo' | 'confirmReceipt' | 'reject' | 'evidenceAdd' | 'confirmAndSend';
  refundId: string;
  params: Record<string, unknown>;
  time: number;
}

export interface ConfirmParams {
  refundId: string;
  status?: number;
  returnFreightHandlingAdvice?: number;
  returnFreightAmount?: number;
  returnFreightRejectDesc?: string;
  returnFreightRejectImages?: string[];
}

/** Staff shown for writes made through the open API. */
const API_STAFF = { staffAccountId: '1000001', staffAccountName: '开放平台应用' };

export class Shop {
  readonly writes: AppliedWrite[] = [];
  private readonly pending = new Set<string>();

  constructor(
    readonly world: World,
    readonly seed: number,
    readonly now: () => number,
    public settleDelayMs: number,
    private readonly changed: () => void,
  ) {
    for (const a of world.overlayRecords()) if (a.status === 50) this.pending.add(a.refundId);
  }

  /** Moves a record's version forward: updateTime strictly increases on every change. */
  touch(a: AfterSale, at = this.now()): number {
    a.updateTime = Math.max(at, a.updateTime + 1);
    setDeadlines(a);
    this.changed();
    return a.updateTime;
  }

  addHistory(a: AfterSale, title: string, role: number, staff?: { staffAccountId: string; staffAccountName: string }): void {
    const e: HistoryEntry = {
      title,
      role,
      createTime: a.updateTime,
      staffAccountId: staff?.staffAccountId ?? null,
      staffAccountName: staff?.staffAccountName ?? null,
    };
    a.history.push(e);
  }

  /** Confirmed refunds (50) become successful (60) once their settle time has come (or when forced). */
  settle(force = false): string[] {
    const done: string[] = [];
    const now = this.now();
    for (const id of [...this.pending]) {
      const a = this.world.mutable(id);
      if (!a || a.status !== 50) {
        this.pending.delete(id);
        continue;
      }
      if (!force && (a.settleAt ?? 0) > now) continue;
      a.status = 60;
      this.touch(a, force ? now : Math.max(a.settleAt ?? now, a.updateTime + 1));
      if (a.returnFreightInfo?.returnFreightStatus === 20) a.returnFreightInfo.returnFreightStatus = 40;
      a.settleAt = null;
      this.addHistory(a, '退款成功', ROLE.SYSTEM);
      this.pending.delete(id);
      done.push(id);
    }
    return done;
  }

  require(refundId: string): AfterSale {
    const a = this.world.mutable(refundId);
    if (!a) throw new ApiError(CODE.NOT_FOUND, '售后单不存在', 'REFUND_NOT_EXIST', `refundId ${refundId} not found`);
    return a;
  }

  /** open.refund.submit.returnInfo: only in status 30; moves to 40 with the waybill on record. */
  submitReturnInfo(refundId: string, waybill: Waybill, params: Record<string, unknown>, race?: () => boolean): void {
    const peek = this.world.get(refundId);
    if (!peek) throw new ApiError(CODE.NOT_FOUND, '售后单不存在', 'REFUND_NOT_EXIST', `refundId ${refundId} not found`);
    if (peek.cancelledByBuyer)
      throw new ApiError(CODE.BUYER_CANCELLED, '买家已取消售后', 'BUYER_CANCELLED', '买家已撤销售后申请，无法操作');
    if (peek.handlingWay !== 1 && peek.handlingWay !== 3)
      throw new ApiError(
        CODE.WRONG_REFUND_TYPE,
        '售后类型不支持该操作',
        'REFUND_TYPE_ERROR',
        `handlingWay ${peek.handlingWay} has no return shipment`,
      );
    if (peek.status !== 30)
      throw new ApiError(
        CODE.STATUS_NOT_ALLOWED,
        '当前售后状态不允许该操作',
        'STATUS_NOT_ALLOW',
        `status ${peek.status}: return waybill can only be filled in status 30`,
      );
    if (race?.()) this.loseRace(refundId);
    const a = this.require(refundId);
    a.status = 40;
    a.logisticsInfo = { ...waybill };
    a.logisticsId = a.logisticsId ?? String(BigInt(a.refundId) + 7n);
    const t = this.touch(a);
    a.negotiateUpdateTime = t;
    this.addHistory(a, `商家代买家填写退货物流：${courierName(waybill.expressCode)} ${waybill.expressNo}`, ROLE.MERCHANT, API_STAFF);
    this.writes.push({ method: 'submitReturnInfo', refundId, params, time: this.now() });
  }

  /** open.seller.order.refund.confirm.receipt: refunds the buyer; 22/30/40 -> 50, then 60 on settlement. */
  confirmReceipt(p: ConfirmParams, params: Record<string, unknown>, race?: () => boolean): void {
    const peek = this.world.get(p.refundId);
    if (!peek) throw new ApiError(CODE.NOT_FOUND, '售后单不存在', 'REFUND_NOT_EXIST', `refundId ${p.refundId} not found`);
    if (peek.cancelledByBuyer)
      throw new ApiError(CODE.BUYER_CANCELLED, '买家已取消售后', 'BUYER_CANCELLED', '买家已撤销售后申请，无法操作');
    if (peek.handlingWay !== 1)
      throw new ApiError(
        CODE.STATUS_NO_REFUND,
        '当前售后状态不允许退款',
        'REFUND_TYPE_NOT_ALLOW',
        `handlingWay ${peek.handlingWay} is not 退货退款`,
      );
    if (![22, 30, 40].includes(peek.status))
      throw new ApiError(
        CODE.STATUS_NOT_ALLOWED,
        '当前售后状态不允许该操作',
        'STATUS_NOT_ALLOW',
        `status ${peek.status}: confirm receipt needs 22, 30 or 40`,
      );
    if (p.status !== undefined && p.status !== peek.status)
      throw new ApiError(
        CODE.REFUND_UPDATED,
        '售后单已更新，请刷新后重试',
        'REFUND_UPDATED',
        `expected status ${p.status}, actual ${peek.status}`,
      );
    checkFreight(peek.returnFreightInfo, p);
    if (race?.()) this.loseRace(p.refundId);
    const a = this.require(p.refundId);
    a.status = 50;
    a.receiptStatus = 2;
    a.negotiateStatus = 2;
    const t = this.touch(a);
    a.negotiateUpdateTime = t;
    a.settleAt = t + this.settleDelayMs;
    if (a.returnFreightInfo) a.returnFreightInfo.returnFreightStatus = p.returnFreightHandlingAdvice === 1 ? 20 : 50;
    this.addHistory(a, '商家已确认收货，退款执行中', ROLE.MERCHANT, API_STAFF);
    if (p.returnFreightHandlingAdvice === 1)
      this.addHistory(a, `商家同意承担退货运费 ${(p.returnFreightAmount ?? 0) / 100} 元`, ROLE.MERCHANT, API_STAFF);
    if (p.returnFreightHandlingAdvice === 2)
      this.addHistory(a, `商家拒绝承担退货运费：${p.returnFreightRejectDesc ?? ''}`, ROLE.MERCHANT, API_STAFF);
    this.pending.add(a.refundId);
    this.writes.push({ method: 'confirmReceipt', refundId: p.refundId, params, time: this.now() });
  }

  /**
   * A write that passed every check but lost the optimistic lock: another update (the platform's own
   * bookkeeping, say) moved the record's version first. The status stays; the write is not applied.
   */
  private loseRace(refundId: string): never {
    const a = this.require(refundId);
    const t = this.touch(a);
    throw new ApiError(CODE.REFUND_UPDATED, '售后单已更新，请刷新后重试', 'REFUND_UPDATED', `refund updated at ${t}, refresh and retry`);
  }

  /** Scenario edits: merges fields, keeps ids, bumps the version unless updateTime is given. */
  patch(refundId: string, fields: Partial<AfterSale>): AfterSale {
    const a = this.world.mutable(refundId);
    if (!a) throw new Error(`no after-sale ${refundId}`);
    const { refundId: _ignored, updateTime, ...rest } = fields;
    Object.assign(a, rest);
    if (updateTime !== undefined) {
      a.updateTime = updateTime;
      this.changed();
    } else this.touch(a);
    if (a.status === 50) {
      a.settleAt = a.settleAt ?? a.updateTime + this.settleDelayMs;
      this.pending.add(a.refundId);
    }
    return a;
  }

  patchOrder(oid: string, fields: Partial<Order>): Order {
    const o = this.world.mutableOrder(oid);
    if (!o) throw new Error(`no order ${oid}`);
    const { oid: _ignored, ...rest } = fields;
    Object.assign(o, rest);
    this.changed();
    return o;
  }
}

/** Return-freight fields: required exactly when the after-sale carries a returnFreightInfo claim. */
function checkFreight(claim: ReturnFreightInfo | null, p: ConfirmParams): void {
  const sent =
    p.returnFreightHandlingAdvice !== undefined ||
    p.returnFreightAmount !== undefined ||
    p.returnFreightRejectDesc !== undefined ||
    p.returnFreightRejectImages !== undefined;
  const bad = (msg: string) => new ApiError(CODE.PARAM_INVALID, '参数错误', 'INVALID_RETURN_FREIGHT', msg);
  if (!claim) {
    if (sent) throw bad('该售后单没有退货运费申请，不能传退货运费处理参数');
    return;
  }
  const advice = p.returnFreightHandlingAdvice;
  if (advice === undefined) throw bad('该售后单有退货运费申请，returnFreightHandlingAdvice 必填 (1 同意, 2 拒绝)');
  if (advice === 1) {
    if (p.returnFreightAmount !== claim.returnFreightAmount) throw bad(`returnFreightAmount 必须等于申请金额 ${claim.returnFreightAmount}`);
    if (p.returnFreightRejectDesc !== undefined || p.returnFreightRejectImages !== undefined) throw bad('同意时不能传拒绝理由和凭证');
    return;
  }
  if (advice === 2) {
    const desc = p.returnFreightRejectDesc ?? '';
    if (desc.trim().length === 0 || [...desc].length >= 300) throw bad('拒绝退货运费需要填写理由，且少于300字');
    // "拒绝原因和图片必填": with advice 2 the images are required too (1..6).
    const images = p.returnFreightRejectImages?.length ?? 0;
    if (images === 0) throw bad('拒绝退货运费需要上传凭证图片（至少1张）');
    if (images > 6) throw bad('拒绝凭证最多6张');
    if (p.returnFreightAmount !== undefined) throw bad('拒绝时不能传 returnFreightAmount');
    return;
  }
  throw bad(`returnFreightHandlingAdvice 只能是 1 或 2，收到 ${advice}`);
}
