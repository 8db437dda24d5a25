// Whether the platform answers: every call through the registry is counted per shop and method and feeds the online state.
import type { Clock } from '../kernel/clock';
import { PlatformError, type PlatformClient } from './types';

/** A network fault says nothing about the platform's opinion; only those flip the desk offline. */
function isOfflineSign(error: unknown): boolean {
  return error instanceof PlatformError && error.kind === 'transient';
}

export class PlatformHealth {
  online = true;
  offlineSince: number | null = null;
  private readonly calls = new Map<string, Record<string, number>>();
  private readonly counted = new Map<string, { raw: PlatformClient; counted: PlatformClient }>();
  private readonly backOnline = new Set<() => void>();

  constructor(private readonly clock: Clock) {}

  /** Calls made for one shop since start-up, per client method. */
  callsOf(shopId: string): Record<string, number> {
    let calls = this.calls.get(shopId);
    if (!calls) this.calls.set(shopId, (calls = {}));
    return calls;
  }

  /** Runs `listener` whenever the platform answers again after the desk went offline; answers the unsubscribe. */
  onBackOnline(listener: () => void): () => void {
    this.backOnline.add(listener);
    return () => this.backOnline.delete(listener);
  }

  note(ok: boolean, error?: unknown): void {
    if (ok) {
      if (!this.online) {
        this.online = true;
        this.offlineSince = null;
        for (const listener of this.backOnline) listener();
      }
    } else if (isOfflineSign(error) && this.online) {
      this.online = false;
      this.offlineSince = this.clock.now();
    }
  }

  /** `raw` wrapped so that every call is counted and feeds the online state; the same wrapper while `raw` stays. */
  wrap(shopId: string, raw: PlatformClient): PlatformClient {
    const cached = this.counted.get(shopId);
    if (cached && cached.raw === raw) return cached.counted;
    const calls = this.callsOf(shopId);
    const wrap =
      <A extends unknown[], T>(name: string, fn: (...args: A) => Promise<T>) =>
      async (...args: A): Promise<T> => {
        calls[name] = (calls[name] ?? 0) + 1;
        try {
          const out = await fn(...args);
          this.note(true);
          return out;
        } catch (error) {
          // A refusal is still an answer: the platform is reachable.
          this.note(!isOfflineSign(error), error);
          throw error;
        }
      };
    const counted: PlatformClient = {
      listRefunds: wrap('listRefunds', (q) => raw.listRefunds(q)),
      getRefundDetail: wrap('getRefundDetail', (id) => raw.getRefundDetail(id)),
      getOrder: wrap('getOrder', (id) => raw.getOrder(id)),
      getNegotiationHistory: wrap('getNegotiationHistory', (id) => raw.getNegotiationHistory(id)),
      submitReturnWaybill: wrap('submitReturnWaybill', (req) => raw.submitReturnWaybill(req)),
      confirmReceipt: wrap('confirmReceipt', (req) => raw.confirmReceipt(req)),
    };
    // The evidence face of a real client (refusals, image uploads) rides along as it is, uncounted.
    if ('evidence' in raw) Object.assign(counted, { evidence: raw.evidence });
    this.counted.set(shopId, { raw, counted });
    return counted;
  }
}
