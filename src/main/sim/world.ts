// The simulated shop's data: a lazily generated base world plus an overlay of records changed since start,
// and the keyset-paged list queries the platform's pcursor list needs.
import { DAY, HOUR, NEW_ORDER_BIG, NEW_ORDER_SMALL, NEW_REFUND_BIG, NEW_REFUND_SMALL, WorldGenerator, buildRecord } from './generator';
import { isWaitingForRefund, type AfterSale, type Order } from './model';
import { Rng } from './prng';

const BUCKET_MS = 6 * HOUR;

/** Numeric order of canonical decimal strings without BigInt. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

export interface ListFilter {
  beginTime: number;
  endTime: number;
  queryType: 1 | 2;
  type: 8 | 9;
  status?: number;
  negotiateStatus?: number;
  orderId?: string;
  descending: boolean;
  pageSize: number;
  after: { t: number; id: string } | null;
}

export interface WorldSnapshot {
  overlay: AfterSale[];
  orders: Order[];
  created: number;
}

export class World {
  readonly gen: WorldGenerator;
  private readonly createTimes: Float64Array;
  private readonly updateTimes: Float64Array;
  private readonly statuses: Uint8Array;
  private readonly shadowed: Uint8Array;
  /** Base indices ordered by update time; each bucket sorted on first use. */
  private readonly byUpdate: Uint32Array;
  private readonly bucketStart: Uint32Array;
  private readonly bucketSorted: Uint8Array;
  private readonly nBuckets: number;
  private readonly overlay = new Map<string, AfterSale>();
  private readonly orders = new Map<string, Order>();
  private created = 0;

  constructor(seed: number, count: number, anchor: number) {
    this.gen = new WorldGenerator(seed, count, anchor);
    this.createTimes = new Float64Array(count);
    this.updateTimes = new Float64Array(count);
    this.statuses = new Uint8Array(count);
    this.shadowed = new Uint8Array(count);
    for (let i = 0; i < count; i += 1) {
      const c = this.gen.core(i);
      this.createTimes[i] = c.createTime;
      this.updateTimes[i] = c.updateTime;
      this.statuses[i] = c.status;
    }
    // Counting sort into time buckets; buckets are sorted lazily by (updateTime, refundId).
    const buckets = Math.ceil((anchor - this.gen.origin) / BUCKET_MS) + 1;
    this.nBuckets = buckets;
    const counts = new Uint32Array(buckets + 1);
    for (let i = 0; i < count; i += 1) counts[this.bucketOf(this.updateTimes[i]!) + 1]! += 1;
    for (let b = 0; b < buckets; b += 1) counts[b + 1]! += counts[b]!;
    this.bucketStart = counts;
    const fill = counts.slice(0, buckets);
    this.byUpdate = new Uint32Array(count);
    for (let i = 0; i < count; i += 1) this.byUpdate[fill[this.bucketOf(this.updateTimes[i]!)]!++] = i;
    this.bucketSorted = new Uint8Array(buckets);
  }

  get count(): number {
    return this.gen.count;
  }

  private bucketOf(t: number): number {
    const b = Math.floor((t - this.gen.origin) / BUCKET_MS);
    return b < 0 ? 0 : b >= this.nBuckets ? this.nBuckets - 1 : b;
  }

  // ---- lookups -------------------------------------------------------------------------------------

  get(refundId: string): AfterSale | undefined {
    const o = this.overlay.get(refundId);
    if (o) return o;
    const i = this.gen.indexOfRefund(refundId);
    return i < 0 ? undefined : this.gen.build(i).afterSale;
  }

  getOrder(oid: string): Order | undefined {
    const o = this.orders.get(oid);
    if (o) return o;
    const i = this.gen.indexOfOrder(oid);
    return i < 0 ? undefined : this.gen.build(i).order;
  }

  /** All after-sales of an order, current state. */
  refundsOfOrder(oid: string): AfterSale[] {
    const out: AfterSale[] = [];
    const i = this.gen.indexOfOrder(oid);
    if (i >= 0 && !this.shadowed[i]) out.push(this.gen.build(i).afterSale);
    for (const a of this.overlay.values()) if (a.oid === oid) out.push(a);
    return out.sort((a, b) => a.createTime - b.createTime);
  }

  /** The record as a mutable overlay entry (copied from the base world on first change). */
  mutable(refundId: string): AfterSale | undefined {
    const o = this.overlay.get(refundId);
    if (o) return o;
    const i = this.gen.indexOfRefund(refundId);
    if (i < 0) return undefined;
    const rec = this.gen.build(i).afterSale;
    this.shadowed[i] = 1;
    this.overlay.set(refundId, rec);
    return rec;
  }

  mutableOrder(oid: string): Order | undefined {
    const o = this.orders.get(oid);
    if (o) return o;
    const i = this.gen.indexOfOrder(oid);
    if (i < 0) return undefined;
    const rec = this.gen.build(i).order;
    this.orders.set(oid, rec);
    return rec;
  }

  overlayRecords(): IterableIterator<AfterSale> {
    return this.overlay.values();
  }

  /** Base status without building the record (for the buyer clock's sampling). */
  baseStatus(i: number): number {
    return this.shadowed[i] ? -1 : this.statuses[i]!;
  }

  baseRefundId(i: number): string {
    return this.gen.refundId(i);
  }

  /** Adds a new after-sale (and its order unless it already exists); ids are drawn unless given. */
  create(
    seed: number,
    now: number,
    spec: { refundId?: string; oid?: string; handlingWay: number; status: number; createTime?: number; bigIds?: boolean },
  ): { afterSale: AfterSale; order: Order } {
    const k = this.created++;
    const r = new Rng(seed, k, 3);
    const big = spec.bigIds ?? r.chance(0.5);
    const low = BigInt(r.int(0, 999));
    const refundId = spec.refundId ?? String((big ? NEW_REFUND_BIG : NEW_REFUND_SMALL) + BigInt(k) * 1000n + low);
    const existingOrder = spec.oid ? this.getOrder(spec.oid) : undefined;
    const oid = spec.oid ?? String((big ? NEW_ORDER_BIG : NEW_ORDER_SMALL) + BigInt(k) * 1000n + low);
    if (this.get(refundId)) throw new Error(`after-sale ${refundId} already exists`);
    const createTime = spec.createTime ?? now;
    const rec = buildRecord(r, { refundId, oid, handlingWay: spec.handlingWay, status: spec.status, createTime, updateTime: createTime });
    if (existingOrder) {
      Object.assign(rec.afterSale, {
        itemId: existingOrder.itemId,
        skuId: existingOrder.skuId,
        skuNick: existingOrder.skuDesc,
        buyerOpenId: existingOrder.buyerOpenId,
      });
    } else {
      this.orders.set(oid, rec.order);
    }
    this.overlay.set(refundId, rec.afterSale);
    return { afterSale: rec.afterSale, order: existingOrder ?? rec.order };
  }

  // ---- persistence ---------------------------------------------------------------------------------

  snapshot(): WorldSnapshot {
    return { overlay: [...this.overlay.values()], orders: [...this.orders.values()], created: this.created };
  }

  restore(s: WorldSnapshot): void {
    for (const a of s.overlay) {
      this.overlay.set(a.refundId, a);
      const i = this.gen.indexOfRefund(a.refundId);
      if (i >= 0) this.shadowed[i] = 1;
    }
    for (const o of s.orders) this.orders.set(o.oid, o);
    this.created = s.created;
  }

  // ---- list ----------------------------------------------------------------------------------------

  /** One page in (time, refundId) order after the cursor key; `more` says whether anything follows. */
  list(f: ListFilter): { items: AfterSale[]; more: boolean } {
    const byUpdate = f.queryType === 2;
    const timeOf = (a: AfterSale) => (byUpdate ? a.updateTime : a.createTime);
    // Base sequence [lo, hi): positions in a time-ordered array.
    let lo: number;
    let hi: number;
    let indexAt: (k: number) => number;
    if (byUpdate) {
      const b0 = this.bucketOf(f.beginTime);
      const b1 = this.bucketOf(f.endTime);
      for (let b = b0; b <= b1; b += 1) this.sortBucket(b);
      const start = this.bucketStart[b0]!;
      const end = this.bucketStart[b1 + 1] ?? this.byUpdate.length;
      const t = (k: number) => this.updateTimes[this.byUpdate[k]!]!;
      lo = lowerBound(start, end, (k) => t(k) < f.beginTime);
      hi = lowerBound(lo, end, (k) => t(k) <= f.endTime);
      indexAt = (k) => this.byUpdate[k]!;
    } else {
      const t = (k: number) => this.createTimes[k]!;
      lo = lowerBound(0, this.count, (k) => t(k) < f.beginTime);
      hi = lowerBound(lo, this.count, (k) => t(k) <= f.endTime);
      indexAt = (k) => k;
    }
    const times = byUpdate ? this.updateTimes : this.createTimes;
    const baseKey = (k: number): [number, string] => [times[indexAt(k)]!, this.gen.refundId(indexAt(k))];
    const overlay = [...this.overlay.values()]
      .filter((a) => timeOf(a) >= f.beginTime && timeOf(a) <= f.endTime)
      .sort((a, b) => timeOf(a) - timeOf(b) || compareIds(a.refundId, b.refundId));
    const dir = f.descending ? -1 : 1;
    const afterCursor = (t: number, id: string) => !f.after || dir * (t - f.after.t || compareIds(id, f.after.id)) > 0;
    // Position both streams just past the cursor.
    let bk: number;
    let ok: number;
    if (f.descending) {
      bk = hi - 1;
      if (f.after) {
        const c = f.after;
        bk = lowerBound(lo, hi, (k) => times[indexAt(k)]! <= c.t) - 1;
        while (bk >= lo && !afterCursor(...baseKey(bk))) bk -= 1;
      }
      ok = overlay.length - 1;
      while (ok >= 0 && !afterCursor(timeOf(overlay[ok]!), overlay[ok]!.refundId)) ok -= 1;
    } else {
      bk = lo;
      if (f.after) {
        const c = f.after;
        bk = lowerBound(lo, hi, (k) => times[indexAt(k)]! < c.t);
        while (bk < hi && !afterCursor(...baseKey(bk))) bk += 1;
      }
      ok = 0;
      while (ok < overlay.length && !afterCursor(timeOf(overlay[ok]!), overlay[ok]!.refundId)) ok += 1;
    }
    const items: AfterSale[] = [];
    const baseLeft = () => (f.descending ? bk >= lo : bk < hi);
    const overlayLeft = () => (f.descending ? ok >= 0 : ok < overlay.length);
    while (items.length <= f.pageSize && (baseLeft() || overlayLeft())) {
      let takeBase = baseLeft();
      if (takeBase && overlayLeft()) {
        const [bt, bid] = baseKey(bk);
        const o = overlay[ok]!;
        takeBase = dir * (bt - timeOf(o) || compareIds(bid, o.refundId)) < 0;
      }
      if (takeBase) {
        const i = indexAt(bk);
        bk += dir;
        if (this.shadowed[i]) continue;
        if (f.type === 8 && !isWaitingForRefund(this.statuses[i]!)) continue;
        if (f.status !== undefined && this.statuses[i] !== f.status) continue;
        if (f.negotiateStatus === undefined && f.orderId === undefined) {
          items.push(this.gen.build(i).afterSale);
          continue;
        }
        const a = this.gen.build(i).afterSale;
        if (matches(a, f)) items.push(a);
      } else {
        const a = overlay[ok]!;
        ok += dir;
        if (matches(a, f)) items.push(a);
      }
    }
    const more = items.length > f.pageSize;
    return { items: items.slice(0, f.pageSize), more };
  }

  private sortBucket(b: number): void {
    if (b >= this.bucketSorted.length || this.bucketSorted[b]) return;
    const part = this.byUpdate.subarray(this.bucketStart[b]!, this.bucketStart[b + 1]!);
    const sorted = Array.from(part).sort(
      (x, y) => this.updateTimes[x]! - this.updateTimes[y]! || compareIds(this.gen.refundId(x), this.gen.refundId(y)),
    );
    part.set(sorted);
    this.bucketSorted[b] = 1;
  }
}

function matches(a: AfterSale, f: ListFilter): boolean {
  if (f.type === 8 && !isWaitingForRefund(a.status)) return false;
  if (f.status !== undefined && a.status !== f.status) return false;
  if (f.negotiateStatus !== undefined && a.negotiateStatus !== f.negotiateStatus) return false;
  if (f.orderId !== undefined && a.oid !== f.orderId) return false;
  return true;
}

/** First k in [lo, hi) where `before(k)` is false; `before` must be monotone (true…true false…false). */
function lowerBound(lo: number, hi: number, before: (k: number) => boolean): number {
  let a = lo;
  let b = hi;
  while (a < b) {
    const m = (a + b) >>> 1;
    if (before(m)) a = m + 1;
    else b = m;
  }
  return a;
}

export { DAY };
