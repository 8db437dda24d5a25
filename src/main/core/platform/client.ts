// The signed Kuaishou client: builds, signs, paces and sends each call, parses losslessly, classifies failures.
import type { z } from 'zod';
import type { Clock } from '../kernel/clock';
import type { Logger } from '../log/logger';
import type { AuthSession } from './auth';
import { evidenceClientOf, type EvidenceClient } from './evidence-api';
import { makeScrubber, networkFailure, platformFailure, quotaWaitMs, type Scrubber } from './errors';
import { axiosTransport, TransportFailure, type HttpFilePart, type HttpTransport } from './http';
import { parseWire, stringifyParam, wireId } from './json';
import type { Pacer } from './pacer';
import { sign, type SignMethod } from './sign';
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
} from './types';
import {
  commentListWire,
  envelopeSchema,
  failureFactsOf,
  isSuccess,
  orderDetailWire,
  refundDetailWire,
  refundPageWire,
  requestIdOf,
} from './wire';

export const DEFAULT_BASE_URL = 'https://openapi.kwaixiaodian.com';

export interface MethodSpec {
  name: string;
  verb: 'GET' | 'POST';
}

/** Verb per method as the platform documents it (docs/platform.md, "Request protocol"): GET for reads, POST for every write. */
export const API = {
  listRefunds: { name: 'open.seller.order.refund.pcursor.list', verb: 'GET' },
  refundDetail: { name: 'open.seller.order.refund.detail', verb: 'GET' },
  negotiationHistory: { name: 'open.refund.comment.basic.list', verb: 'GET' },
  orderDetail: { name: 'open.order.detail', verb: 'GET' },
  submitReturnInfo: { name: 'open.refund.submit.returnInfo', verb: 'POST' },
  confirmReceipt: { name: 'open.seller.order.refund.confirm.receipt', verb: 'POST' },
} as const satisfies Record<string, MethodSpec>;

export function methodPath(method: string): string {
  return '/' + method.replace(/\./g, '/');
}

export interface KuaishouClientOptions {
  baseUrl: string;
  appKey: string;
  signSecret: string;
  signMethod: SignMethod;
  auth: AuthSession;
  pacer: Pacer;
  clock: Clock;
  logger: Logger;
  transport?: HttpTransport;
  /** Deadline of one HTTP exchange; default 15 s. */
  timeoutMs?: number;
  /** Attempts for a read that meets transient faults or QPS answers; default 3. Writes get exactly one. */
  readAttempts?: number;
  /** Base delay before a read is retried after a transient fault; doubled per attempt, with jitter. */
  retryBaseMs?: number;
  /** For log lines: which shop this client serves. */
  shopId?: string;
  /** Longest quiet time after a daily-quota answer before one call probes again; default 30 minutes. */
  quotaProbeMs?: number;
}

export class KuaishouClient implements PlatformClient {
  private readonly transport: HttpTransport;
  private readonly timeoutMs: number;
  private readonly readAttempts: number;
  private readonly retryBaseMs: number;
  private readonly scrub: Scrubber;
  /**
   * After a daily-quota answer, per API method: calls of that method fail at once, without the network, until
   * then (epoch ms of the clock). The platform counts the quota per API, so the other methods carry on.
   */
  private readonly quotaHolds = new Map<string, { until: number; cause: PlatformError }>();
  /** Refusal with evidence and exchanges (evidence-api.ts), over this client's signing and retry policy. */
  readonly evidence: EvidenceClient = evidenceClientOf(this);

  constructor(private readonly options: KuaishouClientOptions) {
    this.transport = options.transport ?? axiosTransport;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.readAttempts = Math.max(1, options.readAttempts ?? 3);
    this.retryBaseMs = options.retryBaseMs ?? 500;
    this.scrub = makeScrubber(() => [options.signSecret, ...options.auth.secrets()]);
  }

  listRefunds(query: ListRefundsQuery): Promise<RefundPage> {
    // A window never reaches into the future: whether the platform allows a future endTime is not documented.
    // A window wholly in the future has nothing in it yet.
    const now = this.options.clock.now();
    if (query.endTime > now && query.beginTime >= now) return Promise.resolve({ items: [], pcursor: 'nomore' });
    const endTime = Math.min(query.endTime, now);
    // `currentPage` is marked required by the platform's field schema and always sent by its own demo; the cursor
    // does the paging, so it is always 1. `sort` is left out: sources disagree on its meaning and nothing here
    // depends on the order of rows within a window (see docs/platform.md, "where they disagree").
    const param: Record<string, unknown> = {
      beginTime: query.beginTime,
      endTime,
      type: query.type,
      pageSize: query.pageSize,
      currentPage: 1,
      pcursor: query.pcursor,
      queryType: query.queryType,
    };
    return this.call(API.listRefunds, param, refundPageWire).then((page) => {
      if (page.items.length > 0 && page.pcursor === query.pcursor && page.pcursor !== 'nomore') {
        throw new PlatformError({ kind: 'unknown', message: `Kuaishou ${API.listRefunds.name}: the cursor did not advance` });
      }
      return page;
    });
  }

  getRefundDetail(refundId: string): Promise<RefundDetail> {
    return this.call(API.refundDetail, { refundId: wireId(refundId) }, refundDetailWire);
  }

  async getOrder(orderId: string): Promise<OrderInfo> {
    const order = await this.call(API.orderDetail, { oid: wireId(orderId) }, orderDetailWire);
    return { ...order, orderId: order.orderId ?? orderId };
  }

  getNegotiationHistory(refundId: string): Promise<NegotiationEntry[]> {
    return this.call(API.negotiationHistory, { refundId: wireId(refundId) }, commentListWire);
  }

  async submitReturnWaybill(request: SubmitReturnWaybillRequest): Promise<void> {
    await this.call(
      API.submitReturnInfo,
      { refundId: wireId(request.refundId), expressNo: request.expressNo, expressCode: request.expressCode },
      null,
    );
  }

  async confirmReceipt(request: ConfirmReceiptRequest): Promise<void> {
    const param: Record<string, unknown> = { refundId: wireId(request.refundId) };
    if (request.expectedStatus !== undefined) param.status = request.expectedStatus;
    const freight = request.returnFreight;
    if (freight?.advice === 'agree') {
      param.returnFreightHandlingAdvice = 1;
      param.returnFreightAmount = freight.amount;
    } else if (freight?.advice === 'reject') {
      // The platform requires images with a rejection: refused here, before it can cost a call (or a money event).
      if (freight.images.length === 0)
        throw new PlatformError({
          kind: 'invalid_request',
          message: `Kuaishou ${API.confirmReceipt.name}: rejecting a return-freight claim needs at least one image`,
        });
      param.returnFreightHandlingAdvice = 2;
      param.returnFreightRejectDesc = freight.reason;
      param.returnFreightRejectImages = freight.images;
    }
    await this.call(API.confirmReceipt, param, null);
  }

  /**
   * Runs one method with the retry policy: refresh once on expiry; reads retry transient/QPS faults; writes never.
   * Public so that method groups kept in their own modules (evidence-api.ts) share the signing and the policy.
   */
  async call<S extends z.ZodType>(
    spec: MethodSpec,
    businessParam: Record<string, unknown>,
    schema: S | null,
    files?: readonly HttpFilePart[],
  ): Promise<z.output<S>> {
    // Serialized once: this exact string is signed and sent on every attempt.
    const param = stringifyParam(businessParam);
    const isWrite = spec.verb === 'POST';
    this.throwIfQuotaHeld(spec);
    const auth = this.options.auth;
    let token = await auth.tokenForCall();
    let refreshed = false;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const data = await this.exchange(spec, param, token, isWrite, schema, files);
        this.options.pacer.succeeded(spec.name);
        return data;
      } catch (error) {
        if (!(error instanceof PlatformError)) throw error;
        this.logFailure(spec, error, attempt);
        if (error.kind === 'auth_revoked') throw auth.revoked(error);
        // An expired-token answer proves the call was not applied, so even a write may go again once.
        if (error.kind === 'auth_expired' && !refreshed) {
          refreshed = true;
          token = await auth.recoverExpired(token, error);
          attempt -= 1;
          continue;
        }
        if (error.kind === 'rate_limited') this.options.pacer.rateLimited(spec.name);
        if (error.kind === 'quota_exhausted') this.holdForQuota(spec, error);
        const retryable = error.kind === 'transient' || error.kind === 'rate_limited';
        if (isWrite || !retryable || attempt >= this.readAttempts) throw error;
        if (error.kind === 'transient') {
          const delay = this.retryBaseMs * 2 ** (attempt - 1);
          await this.options.pacer.sleep(delay / 2 + Math.random() * (delay / 2));
        }
        token = await auth.tokenForCall();
      }
    }
  }

  /**
   * The daily quota is per API and per day ("[1017] exceed quota limit,[apiId:…]"): every further call of that
   * API today would be refused too and would only fill the log. That API stays quiet until the platform's
   * midnight (or a probe after quotaProbeMs); a capped read never delays a confirm.
   */
  private holdForQuota(spec: MethodSpec, cause: PlatformError): void {
    const now = this.options.clock.now();
    const hold = { until: now + quotaWaitMs(now, this.options.quotaProbeMs), cause };
    this.quotaHolds.set(spec.name, hold);
    this.options.logger.warn('daily call quota of an API used up: no calls of it for this shop until the hold ends', {
      shopId: this.options.shopId,
      method: spec.name,
      until: new Date(hold.until).toISOString(),
    });
  }

  private throwIfQuotaHeld(spec: MethodSpec): void {
    const hold = this.quotaHolds.get(spec.name);
    if (!hold) return;
    if (this.options.clock.now() >= hold.until) {
      this.quotaHolds.delete(spec.name);
      return;
    }
    throw new PlatformError({
      kind: 'quota_exhausted',
      message: `Kuaishou ${spec.name}: the daily call quota of this API is used up; not calling it until ${new Date(hold.until).toISOString()}`,
      code: hold.cause.code,
      subCode: hold.cause.subCode,
      platformMessage: hold.cause.platformMessage,
      requestId: null,
    });
  }

  private async exchange<S extends z.ZodType>(
    spec: MethodSpec,
    param: string,
    token: string,
    isWrite: boolean,
    schema: S | null,
    files?: readonly HttpFilePart[],
  ): Promise<z.output<S>> {
    const { appKey, signSecret, signMethod, clock } = this.options;
    const common = {
      access_token: token,
      appkey: appKey,
      method: spec.name,
      param,
      signMethod,
      timestamp: String(clock.now()),
      version: '1',
    };
    const form = { ...common, sign: sign(common, signSecret) };
    // Writes are always the operator's (uploads, confirms): never behind the backfill.
    await this.options.pacer.acquire(spec.name, isWrite ? 'interactive' : undefined);
    let status: number;
    let body: string;
    try {
      ({ status, body } = await this.transport({
        verb: spec.verb,
        url: this.options.baseUrl.replace(/\/+$/, '') + methodPath(spec.name),
        form,
        ...(files ? { files } : {}),
        timeoutMs: this.timeoutMs,
      }));
    } catch (error) {
      if (error instanceof TransportFailure)
        throw networkFailure({ method: spec.name, code: error.code, timedOut: error.timedOut, isWrite });
      throw error;
    }
    const fail = (kind: 'unknown' | 'transient', message: string, requestId: string | null = null, maybeApplied = false) => {
      const base = platformFailure({
        method: spec.name,
        facts: { codes: [`HTTP ${status}`], messages: [message] },
        requestId,
        scrub: this.scrub,
        kind,
      });
      return maybeApplied
        ? new PlatformError({ ...base, kind, message: `${base.message} (the write may have been applied)`, maybeApplied: true })
        : base;
    };
    let raw: unknown;
    try {
      raw = parseWire(body);
    } catch {
      // A gateway error page: for a write the backend may still have acted on it.
      // Any other unreadable answer (an HTML page with 200, JSON cut off): the request was handled by someone,
      // so a write may have been applied too and must be re-read before it is sent again.
      if (status >= 500) throw fail('transient', 'answer is not JSON', null, isWrite);
      throw fail('unknown', 'answer is not JSON', null, isWrite);
    }
    const envelope = envelopeSchema.safeParse(raw);
    if (!envelope.success) throw fail(status >= 500 ? 'transient' : 'unknown', 'answer is not an envelope', null, isWrite);
    const requestId = requestIdOf(envelope.data);
    if (!isSuccess(envelope.data)) {
      const error = platformFailure({
        method: spec.name,
        facts: { ...failureFactsOf(envelope.data), httpStatus: status },
        requestId,
        scrub: this.scrub,
      });
      // A server fault answered to a write says nothing about whether the write went through.
      if (isWrite && error.kind === 'transient' && status >= 500)
        throw new PlatformError({ ...error, kind: error.kind, message: error.message, maybeApplied: true });
      // A refusal nobody can read says nothing either: a write answered so is re-read before it goes again.
      if (isWrite && error.kind === 'unknown')
        throw new PlatformError({ ...error, kind: error.kind, message: error.message, maybeApplied: true });
      throw error;
    }
    if (schema === null) return undefined as z.output<S>;
    const data = schema.safeParse(envelope.data.data);
    if (!data.success) {
      const issue = data.error.issues[0];
      throw fail('unknown', `answer does not have the expected shape (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''})`, requestId);
    }
    return data.data;
  }

  private logFailure(spec: MethodSpec, error: PlatformError, attempt: number): void {
    this.options.logger.warn('platform call failed', {
      shopId: this.options.shopId,
      method: spec.name,
      attempt,
      kind: error.kind,
      code: error.code,
      subCode: error.subCode,
      requestId: error.requestId,
      maybeApplied: error.maybeApplied,
      platformMessage: error.platformMessage,
    });
  }
}
