// Injected trouble: latency, 5xx, resets, writes applied then left hanging, QPS errors, token expiry, lost version races, garbage answers.
import { Rng, seedOf } from './prng';

export interface FaultConfig {
  latencyMs?: number;
  jitterMs?: number;
  /** Rate (0..1) of HTTP 5xx answers (nothing applied). */
  serverErrorRate?: number;
  /** Rate of connections destroyed before the request is handled (nothing applied). */
  resetRate?: number;
  /** Rate of writes that ARE applied, after which the socket hangs for `hangMs` and is destroyed. */
  timeoutAfterWriteRate?: number;
  /** How long an ambiguous write hangs before its socket is destroyed; default 30000. */
  hangMs?: number;
  /** Rate of spurious QPS-limit answers. */
  qpsErrorRate?: number;
  /** Rate at which the presented access token is expired on the spot (the client must refresh). */
  tokenExpiryRate?: number;
  /**
   * Rate of writes that lose a race: at the moment the write would apply, something else updates the
   * after-sale (its updateTime moves) and the platform answers 300014 "refund updated, refresh and retry".
   */
  versionConflictRate?: number;
  /**
   * Rate of answers replaced by a body that is not the envelope (an HTML page or truncated JSON), HTTP 200,
   * AFTER the request was handled: a write may well have been applied.
   */
  garbageRate?: number;
  /** Restrict faults to these API methods (e.g. ['open.seller.order.refund.confirm.receipt']); default all. */
  methods?: string[];
  /** Seed of the fault dice; the sequence of decisions is deterministic for a given request order. */
  seed?: string | number;
}

const RATE_KEYS = [
  'serverErrorRate',
  'resetRate',
  'timeoutAfterWriteRate',
  'qpsErrorRate',
  'tokenExpiryRate',
  'versionConflictRate',
  'garbageRate',
] as const;
const SHORT: Record<string, keyof FaultConfig> = {
  latency: 'latencyMs',
  jitter: 'jitterMs',
  '5xx': 'serverErrorRate',
  error: 'serverErrorRate',
  reset: 'resetRate',
  timeout: 'timeoutAfterWriteRate',
  hang: 'hangMs',
  qps: 'qpsErrorRate',
  expiry: 'tokenExpiryRate',
  conflict: 'versionConflictRate',
  garbage: 'garbageRate',
  seed: 'seed',
};

export function validateFaults(f: FaultConfig): FaultConfig {
  for (const k of RATE_KEYS) {
    const v = f[k];
    if (v !== undefined && !(v >= 0 && v <= 1)) throw new Error(`fault ${k} must be within 0..1, got ${v}`);
  }
  for (const k of ['latencyMs', 'jitterMs', 'hangMs'] as const) {
    const v = f[k];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw new Error(`fault ${k} must be >= 0 ms, got ${v}`);
  }
  return f;
}

/** Parses the CLI form: `latency=50,jitter=20,5xx=0.05,reset=0.1,timeout=0.05,hang=3000,qps=0.1,expiry=0.01,conflict=0.05,garbage=0.02,seed=7`. */
export function parseFaults(text: string): FaultConfig {
  const out: FaultConfig = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, value] = part.split('=');
    const key = name ? (SHORT[name] ?? (name as keyof FaultConfig)) : undefined;
    if (!key || value === undefined || !(key in SHORT_VALUES))
      throw new Error(`unknown fault "${part}" (known: ${Object.keys(SHORT).join(', ')})`);
    if (key === 'seed') out.seed = value;
    else {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new Error(`fault ${name} needs a number, got "${value}"`);
      (out as Record<string, number>)[key] = n;
    }
  }
  return validateFaults(out);
}
const SHORT_VALUES: Record<string, true> = Object.fromEntries(Object.values(SHORT).map((k) => [k, true]));

export class FaultDice {
  private rng: Rng;
  constructor(private config: FaultConfig) {
    this.rng = new Rng(seedOf(config.seed ?? 'faults'));
  }

  get current(): FaultConfig {
    return this.config;
  }

  set(config: FaultConfig): void {
    this.config = validateFaults({ ...config });
    this.rng = new Rng(seedOf(config.seed ?? 'faults'));
  }

  appliesTo(method: string): boolean {
    return !this.config.methods || this.config.methods.includes(method);
  }

  /** Rolls a die only when the rate is set, so unrelated settings don't shift the sequence. */
  roll(key: (typeof RATE_KEYS)[number]): boolean {
    const rate = this.config[key] ?? 0;
    if (rate <= 0) return false;
    return this.rng.next() < rate;
  }

  /**
   * What a broken proxy or a cut connection hands back instead of `body`: half the time an HTML error page
   * (a WAF / gateway page served with 200), otherwise the real JSON cut off part-way.
   */
  garbage(body: string): { type: string; text: string } {
    if (this.rng.next() < 0.5)
      return {
        type: 'text/html;charset=UTF-8',
        text: '<!DOCTYPE html><html><head><title>系统繁忙</title></head><body><h1>系统繁忙，请稍后再试</h1></body></html>',
      };
    const cut = Math.max(1, Math.floor(body.length * (0.2 + this.rng.next() * 0.6)));
    return { type: 'application/json;charset=UTF-8', text: body.slice(0, Math.min(cut, body.length - 1)) };
  }

  latency(): number {
    const base = this.config.latencyMs ?? 0;
    const jitter = this.config.jitterMs ?? 0;
    if (base <= 0 && jitter <= 0) return 0;
    return base + (jitter > 0 ? Math.floor(this.rng.next() * jitter) : 0);
  }
}
