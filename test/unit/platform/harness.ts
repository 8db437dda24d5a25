// Builds a real KuaishouClient against the stub gateway, with a raw (non-redacting) log capture for secret checks.
import { manualClock } from '../../../src/main/core/kernel/clock';
import type { Logger } from '../../../src/main/core/log/logger';
import { AuthSession, type AuthStore } from '../../../src/main/core/platform/auth';
import { KuaishouClient } from '../../../src/main/core/platform/client';
import { axiosTransport } from '../../../src/main/core/platform/http';
import type { GrantedTokens, TokenState } from '../../../src/main/core/platform/oauth';
import { Pacer } from '../../../src/main/core/platform/pacer';
import type { SignMethod } from '../../../src/main/core/platform/sign';
import { startStub, type Stub } from './stub-platform';

export const SECRETS = {
  appKey: 'ks-app-1',
  appSecret: 'APPSECRET-aaaa-1111',
  signSecret: 'SIGNSECRET-bbbb-2222',
  accessToken: 'ACCESS-cccc-3333',
  refreshToken: 'REFRESH-dddd-4444',
};

/** Captures log lines exactly as the client produced them (no redaction), so a leak would show. */
export function rawLogger(lines: string[]): Logger {
  const put = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(
      `${level} ${message} ${JSON.stringify(fields, (_k, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v))}`,
    );
  };
  return { debug: put('debug'), info: put('info'), warn: put('warn'), error: put('error') };
}

export interface Harness {
  stub: Stub;
  client: KuaishouClient;
  auth: AuthSession;
  clock: ReturnType<typeof manualClock>;
  logs: string[];
  saved: GrantedTokens[];
  reauth: string[];
  pacer: Pacer;
}

export async function harness(
  options: {
    signMethod?: SignMethod;
    canRefresh?: boolean;
    tokens?: Partial<TokenState>;
    timeoutMs?: number;
    readAttempts?: number;
    store?: Partial<AuthStore>;
  } = {},
): Promise<Harness> {
  const stub = await startStub(SECRETS.signSecret);
  const clock = manualClock(Date.now());
  const logs: string[] = [];
  const logger = rawLogger(logs);
  const saved: GrantedTokens[] = [];
  const reauth: string[] = [];
  const pacer = new Pacer({ qps: 1000, backoffMs: 1 });
  const canRefresh = options.canRefresh ?? true;
  const auth = new AuthSession({
    tokens: {
      accessToken: SECRETS.accessToken,
      accessTokenExpiresAt: null,
      refreshToken: canRefresh ? SECRETS.refreshToken : null,
      refreshTokenExpiresAt: null,
      ...options.tokens,
    },
    needsReauthorization: false,
    store: {
      saveTokens: (t) => saved.push(t),
      markNeedsReauthorization: (r) => reauth.push(r),
      ...options.store,
    },
    oauth: canRefresh
      ? { baseUrl: stub.baseUrl, appKey: SECRETS.appKey, appSecret: SECRETS.appSecret, pacer, timeoutMs: 2000, transport: axiosTransport }
      : null,
    clock,
    logger,
  });
  const client = new KuaishouClient({
    baseUrl: stub.baseUrl,
    appKey: SECRETS.appKey,
    signSecret: SECRETS.signSecret,
    signMethod: options.signMethod ?? 'HMAC_SHA256',
    auth,
    pacer,
    clock,
    logger,
    timeoutMs: options.timeoutMs ?? 2000,
    readAttempts: options.readAttempts ?? 3,
    retryBaseMs: 1,
    shopId: 'shop-test',
  });
  return { stub, client, auth, clock, logs, saved, reauth, pacer };
}

export const BIG_REFUND = '9223372036854775807'; // 2^63 - 1
export const BIG_ORDER = '2417810000000000001';

export function refundWire(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    refundId: '__REFUND__',
    oid: '__ORDER__',
    itemId: 1234567,
    skuId: 7654321,
    skuNick: '红色 M',
    handlingWay: 1,
    status: 30,
    negotiateStatus: 2,
    refundType: 1,
    receiptStatus: 1,
    refundFee: 5990,
    refundReason: 3,
    refundReasonDesc: '不想要了',
    refundDesc: '',
    submitTime: 1_700_000_000_000,
    createTime: 1_700_000_000_000,
    updateTime: 1_700_000_100_000,
    negotiateUpdateTime: null,
    endTime: 1_700_600_000_000,
    expireTime: 0,
    logisticsId: 0,
    ...extra,
  };
}

/** JSON with the big ids spliced in as bare numbers, the way the platform sends them. */
export function withBigIds(value: unknown): string {
  return JSON.stringify(value).replaceAll('"__REFUND__"', BIG_REFUND).replaceAll('"__ORDER__"', BIG_ORDER);
}
