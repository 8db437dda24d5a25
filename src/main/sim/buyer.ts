// The buyer clock: buyers ship returns, cancel, the platform steps in, new after-sales appear. Deterministic per step.
import { returnWaybill, courierName } from './express';
import { DAY } from './generator';
import { ROLE, type AfterSale, type Waybill } from './model';
import { Rng } from './prng';
import type { Shop } from './shop';

export type BuyerEventKind = 'shipped' | 'cancelled' | 'platform' | 'agreed' | 'created' | 'settled';
export interface BuyerEvent {
  kind: BuyerEventKind;
  refundId: string;
  from: number | null;
  to: number;
}

type Action = 'ship' | 'create' | 'agree' | 'cancel' | 'platform';
const ACTIONS: [Action, number][] = [
  ['ship', 35],
  ['create', 30],
  ['agree', 10],
  ['cancel', 15],
  ['platform', 10],
];
const WANTS: Record<Exclude<Action, 'create'>, (a: { status: number; handlingWay: number }) => boolean> = {
  ship: (a) => a.status === 30 && (a.handlingWay === 1 || a.handlingWay === 3),
  agree: (a) => a.status === 11,
  cancel: (a) => [10, 11, 12, 30].includes(a.status),
  platform: (a) => a.status === 12,
};

export class BuyerClock {
  private step = 0;
  constructor(private readonly shop: Shop) {}

  get steps(): number {
    return this.step;
  }

  set steps(n: number) {
    this.step = n;
  }

  /** One step: settle confirmed refunds, then one buyer/platform action. */
  advance(): BuyerEvent[] {
    const r = new Rng(this.shop.seed, this.step++, 4);
    const events: BuyerEvent[] = this.shop.settle(true).map((refundId) => ({ kind: 'settled', refundId, from: 50, to: 60 }));
    const action = r.weighted(ACTIONS);
    const target = action === 'create' ? undefined : this.findTarget(r, WANTS[action]);
    if (action === 'create' || !target) {
      events.push(this.create(r));
      return events;
    }
    const from = target.status;
    if (action === 'ship') this.ship(target, returnWaybill(r));
    else if (action === 'agree') {
      target.status = 30;
      target.negotiateStatus = 2;
      this.shop.touch(target);
      this.shop.addHistory(target, '系统自动同意退货，等待买家寄回商品', ROLE.SYSTEM);
    } else if (action === 'cancel') this.cancel(target);
    else {
      target.status = target.handlingWay === 1 ? 22 : 20;
      this.shop.touch(target);
      this.shop.addHistory(target, '平台介入：已确认买家售后诉求', ROLE.PLATFORM);
    }
    const kind: BuyerEventKind =
      action === 'ship' ? 'shipped' : action === 'cancel' ? 'cancelled' : action === 'agree' ? 'agreed' : 'platform';
    events.push({ kind, refundId: target.refundId, from, to: target.status });
    return events;
  }

  ship(a: AfterSale, waybill: Waybill): void {
    a.status = 40;
    a.logisticsInfo = waybill;
    a.logisticsId = a.logisticsId ?? String(BigInt(a.refundId) + 7n);
    this.shop.touch(a);
    this.shop.addHistory(a, `买家已寄回商品：${courierName(waybill.expressCode)} ${waybill.expressNo}`, ROLE.BUYER);
  }

  cancel(a: AfterSale): void {
    a.status = 70;
    a.cancelledByBuyer = true;
    this.shop.touch(a);
    this.shop.addHistory(a, '买家撤销售后申请', ROLE.BUYER);
  }

  /** Overlay records first (recent activity), else random draws from the last 30 days of the base world. */
  private findTarget(r: Rng, want: (a: { status: number; handlingWay: number }) => boolean): AfterSale | undefined {
    if (r.chance(0.5)) {
      const list = [...this.shop.world.overlayRecords()].filter(want);
      if (list.length > 0) return list[r.int(0, list.length - 1)];
    }
    const world = this.shop.world;
    const n = world.count;
    if (n === 0) return undefined;
    const firstRecent = Math.max(0, Math.floor(n * (1 - 30 / 90)));
    for (let tries = 0; tries < 200; tries += 1) {
      const i = r.int(firstRecent, n - 1);
      if (world.baseStatus(i) < 0) continue;
      const peek = world.get(world.baseRefundId(i));
      if (peek && want(peek)) return world.mutable(peek.refundId);
    }
    return undefined;
  }

  private create(r: Rng): BuyerEvent {
    const handlingWay = r.weighted([
      [1, 55],
      [10, 38],
      [3, 7],
    ] as const);
    const status = handlingWay === 10 ? 10 : r.chance(0.6) ? 30 : 11;
    const { afterSale } = this.shop.world.create(this.shop.seed, this.shop.now(), { handlingWay, status });
    this.shop.touch(afterSale, afterSale.createTime);
    return { kind: 'created', refundId: afterSale.refundId, from: null, to: status };
  }
}

export { DAY };
