// The test/scenario handle on a running simulator: faults, clocks, tokens, buyer steps, records, statistics.
import type { AuthStore } from './auth';
import type { BuyerClock, BuyerEvent } from './buyer';
import { returnWaybill } from './express';
import { validateFaults, type FaultConfig, type FaultDice } from './faults';
import type { AfterSale, Order, ReturnFreightInfo, Waybill } from './model';
import { Rng } from './prng';
import type { QpsLimiter } from './qps';
import { validateQuota, type DailyQuota } from './quota';
import type { AppliedWrite, Shop } from './shop';
import { validateVariants, type WireVariants } from './variants';

export type AfterSaleState = AfterSale;
export type OrderState = Order;

export interface AfterSaleSpec {
  refundId?: string; // decimal string; may exceed 2^53
  oid?: string; // attach to an existing order, or create this order id
  bigIds?: boolean; // draw ids above 2^53
  handlingWay?: number; // default 1
  status?: number; // default 30
  createTime?: number; // default now
  updateTime?: number; // default createTime
  refundFee?: number;
  returnWaybill?: Waybill | null; // logisticsInfo; default: generated when status implies a shipped return, else none
  returnFreight?: ReturnFreightInfo | null; // returnFreightInfo claim; default none
  freightInsurance?: boolean | null; // order's serviceInfo.freight (null = field absent)
  freightProviderType?: number | null;
  outboundWaybills?: Waybill[];
  cancelledByBuyer?: boolean;
}

export interface SimulatorStats {
  /** Requests that reached the server, by API method (`open.…`) or `oauth2.access_token` / `oauth2.refresh_token`. */
  calls: Record<string, number>;
  /** Writes the platform applied, in order. */
  writes: AppliedWrite[];
}

export interface SimulatorControl {
  setFaults(faults: FaultConfig): void;
  getFaults(): FaultConfig;
  setMaxWindowMs(ms: number): void;
  getMaxWindowMs(): number;
  setQpsPerApi(max: number): void;
  /** Answer in another reading of what the public sources disagree on; fields left out go back to the documented one. */
  setVariants(variants: WireVariants): void;
  getVariants(): Required<WireVariants>;
  /** The daily call quota of each API (null = unlimited); calls already made today still count. */
  setDailyQuota(limit: number | null): void;
  /** The platform's midnight, now: today's count starts again at zero. */
  resetQuotaDay(): void;
  /** The quota per API, the calls counted today (in all and per API) and the platform day (Beijing time). */
  quota(): { dailyQuota: number | null; used: number; usedByApi: Record<string, number>; day: string };
  /** Expires one access token, or all of them (the current one included). */
  expireAccessToken(accessToken?: string): void;
  /** The merchant cancels the authorization: API calls answer 24, refreshes access_denied, until a new code exchange. */
  revokeAuthorization(): void;
  /** A one-time code for GET /oauth2/access_token, valid 2 minutes of simulator time. */
  issueAuthCode(): string;
  /** Advances the buyer clock; deterministic for a given seed and step number. */
  buyerStep(steps?: number): BuyerEvent[];
  buyerShips(refundId: string, waybill?: Waybill): AfterSaleState;
  buyerCancels(refundId: string): AfterSaleState;
  /** Turns every confirmed (50) refund into 60 now. */
  settleRefunds(): string[];
  addAfterSale(spec?: AfterSaleSpec): AfterSaleState;
  updateAfterSale(refundId: string, patch: Partial<Omit<AfterSale, 'refundId'>>): AfterSaleState;
  updateOrder(oid: string, patch: Partial<Omit<Order, 'oid'>>): OrderState;
  getAfterSale(refundId: string): AfterSaleState | undefined;
  getOrder(oid: string): OrderState | undefined;
  /** Current after-sales matching a filter, newest first (scans the world: keep `limit` small on big worlds). */
  findAfterSales(
    filter: { status?: number; handlingWay?: number; hasReturnWaybill?: boolean; hasReturnFreight?: boolean },
    limit?: number,
  ): AfterSaleState[];
  stats(): SimulatorStats;
  resetStats(): void;
  world(): { seed: number; afterSales: number; anchor: number; origin: number };
}

export interface ControlDeps {
  shop: Shop;
  auth: AuthStore;
  faults: FaultDice;
  qps: QpsLimiter;
  quota: DailyQuota;
  buyer: BuyerClock;
  now: () => number;
  calls: Map<string, number>;
  maxWindow: { ms: number };
  variants: { current: Required<WireVariants> };
  changed: () => void;
}

export function createControl(d: ControlDeps): SimulatorControl {
  const clone = <T>(v: T): T => structuredClone(v);
  const w = d.shop.world;
  let scenario = 0;
  const control: SimulatorControl = {
    setFaults: (f) => d.faults.set(validateFaults(f)),
    getFaults: () => ({ ...d.faults.current }),
    setMaxWindowMs: (ms) => {
      if (!(ms > 0)) throw new Error('maxWindowMs must be > 0');
      d.maxWindow.ms = ms;
    },
    getMaxWindowMs: () => d.maxWindow.ms,
    setVariants: (variants) => {
      d.variants.current = validateVariants(variants);
    },
    getVariants: () => ({ ...d.variants.current }),
    setQpsPerApi: (max) => {
      if (!(max >= 1)) throw new Error('qpsPerApi must be >= 1');
      d.qps.max = max;
    },
    setDailyQuota: (limit) => {
      d.quota.limit = validateQuota(limit);
    },
    resetQuotaDay: () => d.quota.resetDay(d.now()),
    quota: () => d.quota.state(d.now()),
    expireAccessToken: (token) => {
      d.auth.expireAccess(d.now(), token);
      d.changed();
    },
    revokeAuthorization: () => {
      d.auth.revoke();
      d.changed();
    },
    issueAuthCode: () => d.auth.issueCode(d.now()),
    buyerStep: (steps = 1) => {
      const out: BuyerEvent[] = [];
      for (let k = 0; k < steps; k += 1) out.push(...d.buyer.advance());
      d.changed();
      return out;
    },
    buyerShips: (refundId, waybill) => {
      const a = d.shop.require(refundId);
      d.buyer.ship(a, waybill ?? returnWaybill(new Rng(d.shop.seed, scenario++, 5)));
      return clone(a);
    },
    buyerCancels: (refundId) => {
      const a = d.shop.require(refundId);
      d.buyer.cancel(a);
      return clone(a);
    },
    settleRefunds: () => d.shop.settle(true),
    addAfterSale: (spec = {}) => {
      const now = d.now();
      const { afterSale, order } = w.create(d.shop.seed ^ 0x5ce, now, {
        refundId: spec.refundId,
        oid: spec.oid,
        handlingWay: spec.handlingWay ?? 1,
        status: spec.status ?? 30,
        createTime: spec.createTime,
        bigIds: spec.bigIds,
      });
      afterSale.returnFreightInfo = spec.returnFreight ? clone(spec.returnFreight) : null;
      if (spec.returnWaybill !== undefined) {
        afterSale.logisticsInfo = spec.returnWaybill ? { ...spec.returnWaybill } : null;
        afterSale.logisticsId = spec.returnWaybill ? String(BigInt(afterSale.refundId) + 7n) : null;
      }
      if (spec.refundFee !== undefined) afterSale.refundFee = spec.refundFee;
      if (spec.cancelledByBuyer !== undefined) afterSale.cancelledByBuyer = spec.cancelledByBuyer;
      afterSale.updateTime = spec.updateTime ?? afterSale.createTime;
      afterSale.negotiateUpdateTime = afterSale.updateTime;
      if (spec.oid === undefined || order.oid === afterSale.oid) {
        if (spec.freightInsurance !== undefined) {
          order.freight = spec.freightInsurance;
          order.freightProviderType = spec.freightInsurance ? (spec.freightProviderType ?? 1) : null;
        }
        if (spec.freightProviderType !== undefined) order.freightProviderType = spec.freightProviderType;
        if (spec.outboundWaybills) order.outbound = clone(spec.outboundWaybills);
        if (w.getOrder(order.oid) !== order) d.shop.patchOrder(order.oid, order);
      }
      if (afterSale.status === 50) d.shop.patch(afterSale.refundId, { updateTime: afterSale.updateTime });
      d.changed();
      return clone(afterSale);
    },
    updateAfterSale: (refundId, patch) => clone(d.shop.patch(refundId, clone(patch))),
    updateOrder: (oid, patch) => clone(d.shop.patchOrder(oid, clone(patch))),
    getAfterSale: (refundId) => {
      d.shop.settle();
      const a = w.get(refundId);
      return a ? clone(a) : undefined;
    },
    getOrder: (oid) => {
      const o = w.getOrder(oid);
      return o ? clone(o) : undefined;
    },
    findAfterSales: (filter, limit = 10) => {
      d.shop.settle();
      const ok = (a: AfterSale) =>
        (filter.status === undefined || a.status === filter.status) &&
        (filter.handlingWay === undefined || a.handlingWay === filter.handlingWay) &&
        (filter.hasReturnWaybill === undefined || (a.logisticsInfo !== null) === filter.hasReturnWaybill) &&
        (filter.hasReturnFreight === undefined || (a.returnFreightInfo !== null) === filter.hasReturnFreight);
      const out: AfterSale[] = [...w.overlayRecords()].filter(ok).sort((a, b) => b.createTime - a.createTime);
      for (let i = w.count - 1; i >= 0 && out.length < limit; i -= 1) {
        if (w.baseStatus(i) < 0) continue;
        if (filter.status !== undefined && w.baseStatus(i) !== filter.status) continue;
        const a = w.get(w.baseRefundId(i));
        if (a && ok(a)) out.push(a);
      }
      return out.slice(0, limit).map(clone);
    },
    stats: () => ({ calls: Object.fromEntries(d.calls), writes: clone(d.shop.writes) }),
    resetStats: () => {
      d.calls.clear();
      d.shop.writes.length = 0;
    },
    world: () => ({ seed: w.gen.seed, afterSales: w.count, anchor: w.gen.anchor, origin: w.gen.origin }),
  };
  return control;
}
