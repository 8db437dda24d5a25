// The HTTP face of the simulated platform: OAuth endpoints and the signed open API gateway, with injected faults.
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { METHODS } from './api';
import { SCOPES, type AuthStore } from './auth';
import { ApiError, CODE, errorBody, successBody } from './envelope';
import type { FaultDice } from './faults';
import { acceptMultipart, isMultipartBody } from './multipart';
import { parseParam } from './params';
import type { QpsLimiter } from './qps';
import type { DailyQuota } from './quota';
import type { Shop } from './shop';
import { verifySign, type SignMethod } from './signing';
import type { WireVariants } from './variants';

export interface GatewayDeps {
  shop: Shop;
  auth: AuthStore;
  faults: FaultDice;
  qps: QpsLimiter;
  quota: DailyQuota;
  now: () => number;
  credentials: { appKey: string; appSecret: string; signSecret: string };
  openId: string;
  maxWindowMs: () => number;
  /** The current readings of what the public sources disagree on (see variants.ts). */
  variants: () => Required<WireVariants>;
  calls: Map<string, number>;
  /** Called after token state changes, so a persisted world keeps them. */
  onAuthChange?: () => void;
}

const JSON_TYPE = 'application/json;charset=UTF-8';

export async function buildServer(d: GatewayDeps): Promise<{ app: FastifyInstance; destroyHung: () => void }> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  await app.register(formbody);
  acceptMultipart(app);
  const hung = new Set<{ socket: Socket; timer: NodeJS.Timeout }>();

  const count = (name: string) => d.calls.set(name, (d.calls.get(name) ?? 0) + 1);
  const send = (reply: FastifyReply, body: string) => reply.code(200).type(JSON_TYPE).send(body);

  /** Pre-handling faults. Returns true when the request was consumed (reset / 5xx). */
  async function entryFaults(req: FastifyRequest, reply: FastifyReply, method: string): Promise<boolean> {
    if (!d.faults.appliesTo(method)) return false;
    const delay = d.faults.latency();
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (d.faults.roll('resetRate')) {
      reply.hijack();
      req.raw.socket.destroy();
      return true;
    }
    if (d.faults.roll('serverErrorRate')) {
      reply.code(502).type('text/html').send('<html><body><h1>502 Bad Gateway</h1></body></html>');
      return true;
    }
    return false;
  }

  /** The ambiguous case: the write is applied, then the client never gets an answer. */
  function hang(req: FastifyRequest, reply: FastifyReply): void {
    reply.hijack();
    const socket = req.raw.socket;
    const entry = {
      socket,
      timer: setTimeout(() => {
        hung.delete(entry);
        socket.destroy();
      }, d.faults.current.hangMs ?? 30_000),
    };
    hung.add(entry);
  }

  // ---- OAuth -------------------------------------------------------------------------------------

  const oauthError = (reply: FastifyReply, result: number, error: string, msg: string) =>
    reply
      .code(200)
      .type(JSON_TYPE)
      .send(JSON.stringify({ result, error, error_msg: msg }));
  const tokenBody = (pair: { accessToken: string; refreshToken: string; expiresIn: number; refreshExpiresIn: number }) =>
    JSON.stringify({
      result: 1,
      access_token: pair.accessToken,
      expires_in: pair.expiresIn,
      refresh_token: pair.refreshToken,
      refresh_token_expires_in: pair.refreshExpiresIn,
      open_id: d.openId,
      scopes: SCOPES,
    });

  app.route({
    method: ['GET', 'POST'],
    url: '/oauth2/access_token',
    handler: async (req, reply) => {
      count('oauth2.access_token');
      if (await entryFaults(req, reply, 'oauth2.access_token')) return reply;
      // Documented as GET; a POST form (as some SDKs send every call) is taken too.
      const q = oauthParams(req);
      if (q === 'bad-type')
        return oauthError(reply, 100200100, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
      if (!q || q.grant_type !== 'code') return oauthError(reply, 100200100, 'invalid_request', 'grant_type must be code');
      if (q.app_id !== d.credentials.appKey || q.app_secret !== d.credentials.appSecret)
        return oauthError(reply, 100200101, 'unauthorized_client', 'app_id or app_secret invalid');
      const pair = q.code ? d.auth.exchangeCode(q.code, d.now()) : null;
      if (!pair) return oauthError(reply, 100200105, 'invalid_grant', 'code invalid, expired or already used');
      d.onAuthChange?.();
      return reply.code(200).type(JSON_TYPE).send(tokenBody(pair));
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/oauth2/refresh_token',
    handler: async (req, reply) => {
      count('oauth2.refresh_token');
      if (await entryFaults(req, reply, 'oauth2.refresh_token')) return reply;
      // Documented as a POST form; the platform's own demo refreshes with GET and query parameters, so that is taken too.
      const b = oauthParams(req);
      if (b === 'bad-type')
        return oauthError(reply, 100200100, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
      if (!b || b.grant_type !== 'refresh_token')
        return oauthError(reply, 100200100, 'invalid_request', 'grant_type must be refresh_token');
      if (b.app_id !== d.credentials.appKey || b.app_secret !== d.credentials.appSecret)
        return oauthError(reply, 100200101, 'unauthorized_client', 'app_id or app_secret invalid');
      if (!b.refresh_token) return oauthError(reply, 100200100, 'invalid_request', 'refresh_token is required');
      const out = d.auth.rotate(b.refresh_token, d.now());
      if (!out.ok) return oauthError(reply, 100200102, 'access_denied', `refreshToken.${out.error}`);
      d.onAuthChange?.();
      return reply.code(200).type(JSON_TYPE).send(tokenBody(out.pair));
    },
  });

  // ---- open API gateway --------------------------------------------------------------------------

  app.route({
    method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'],
    url: '/open/*',
    handler: async (req, reply) => {
      const path = req.url.split('?')[0] ?? '';
      const method = path.replace(/^\//, '').split('/').join('.');
      count(method);
      if (await entryFaults(req, reply, method)) return reply;
      let body: string;
      try {
        const result = gateway(req, method);
        if (result.write && d.faults.appliesTo(method) && d.faults.roll('timeoutAfterWriteRate')) {
          hang(req, reply);
          return reply;
        }
        body = successBody(result.data);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        body = errorBody(e);
      }
      // The answer is lost on the way back (after handling: a write may have been applied).
      if (d.faults.appliesTo(method) && d.faults.roll('garbageRate')) {
        const garbage = d.faults.garbage(body);
        return reply.code(200).type(garbage.type).send(garbage.text);
      }
      return send(reply, body);
    },
  });

  function gateway(req: FastifyRequest, method: string): { data: unknown; write: boolean } {
    const def = METHODS[method];
    if (!def) throw new ApiError(CODE.METHOD_NOT_ALLOWED, `接口不存在: ${method}`, 'API_NOT_FOUND');
    // Reads are documented as GET, but SDKs that POST every call work against the platform: a read is taken as a
    // POST form too. A write stays POST only (a GET write would put the whole param in a URL; no client does it).
    const verbOk = req.method === def.verb || (def.verb === 'GET' && req.method === 'POST');
    if (!verbOk)
      throw new ApiError(CODE.METHOD_NOT_ALLOWED, `HTTP method ${req.method} not allowed, use ${def.verb}`, 'HTTP_METHOD_NOT_ALLOWED');
    const multipart = isMultipartBody(req.body) ? req.body : null;
    if (req.method === 'POST' && (def.multipart ? !multipart : !isForm(req)))
      throw new ApiError(
        CODE.PARAM_INVALID,
        `Content-Type must be ${def.multipart ? 'multipart/form-data' : 'application/x-www-form-urlencoded'}`,
        'INVALID_CONTENT_TYPE',
      );
    const q = multipart ? (multipart.repeated ? null : multipart.fields) : flat(req.method === 'GET' ? req.query : req.body);
    if (!q) throw new ApiError(CODE.PARAM_INVALID, '参数错误: repeated or malformed parameters', 'INVALID_PARAM');
    if (!q.appkey) throw new ApiError(CODE.APPKEY_INVALID, 'appkey不能为空', 'APPKEY_MISSING');
    if (q.appkey !== d.credentials.appKey) throw new ApiError(CODE.APPKEY_INVALID, 'appkey不存在', 'APPKEY_INVALID');
    if (q.method !== method) throw new ApiError(CODE.PARAM_INVALID, `参数错误: method must be ${method}`, 'INVALID_METHOD');
    if (q.version !== '1') throw new ApiError(CODE.PARAM_INVALID, '参数错误: version must be 1', 'INVALID_VERSION');
    if (!q.timestamp || !/^\d{10,13}$/.test(q.timestamp))
      throw new ApiError(CODE.PARAM_INVALID, '参数错误: timestamp must be Unix ms', 'INVALID_TIMESTAMP');
    if (q.param === undefined) throw new ApiError(CODE.PARAM_INVALID, '参数错误: param is required ({} when empty)', 'INVALID_PARAM');
    const signMethod = (q.signMethod ?? 'MD5') as SignMethod;
    if (signMethod !== 'MD5' && signMethod !== 'HMAC_SHA256')
      throw new ApiError(CODE.PARAM_INVALID, '参数错误: signMethod must be MD5 or HMAC_SHA256', 'INVALID_SIGN_METHOD');
    if (!q.sign || !verifySign(q, d.credentials.signSecret, signMethod, q.sign))
      throw new ApiError(CODE.SIGN_INVALID, '签名验证失败', 'SIGN_INVALID', 'sign does not match');
    if (!d.qps.take(`${q.appkey}:${method}`) || (d.faults.appliesTo(method) && d.faults.roll('qpsErrorRate')))
      throw new ApiError(CODE.QPS_LIMIT, `Exceed qps limit, KEY [${q.appkey}:${method}], MAX_QPS [${d.qps.max}]`, 'QPS_LIMIT');
    const now = d.now();
    // The daily quota, per API: every call past the QPS gate counts, whatever the token or the business answer.
    if (!d.quota.take(now, method))
      throw new ApiError(
        CODE.QUOTA_LIMIT,
        `Exceed quota limit, KEY [${q.appkey}:${method}]`,
        'QUOTA_LIMIT',
        `[1017] exceed quota limit,[apiId:${method}] (${d.quota.limit} calls per day)`,
      );
    const token = q.access_token;
    if (!token) throw new ApiError(CODE.TOKEN_INVALID, '鉴权失败/TOKEN无效', 'TOKEN_MISSING', 'access_token is required');
    const check = d.auth.checkAccess(token, now);
    if (check === 'revoked')
      throw new ApiError(CODE.AUTHORIZATION_REVOKED, 'AUTHORIZATION_REVOKED', 'AUTHORIZATION_REVOKED', '商家已取消授权');
    if (check === 'unknown') throw new ApiError(CODE.TOKEN_INVALID, '鉴权失败/TOKEN无效', 'TOKEN_INVALID', 'access_token not recognised');
    if (check === 'expired') throw new ApiError(CODE.TOKEN_INVALID, '鉴权失败/TOKEN过期', 'TOKEN_EXPIRED', 'access_token expired');
    if (d.faults.appliesTo(method) && d.faults.roll('tokenExpiryRate')) {
      d.auth.expireAccess(now, token);
      d.onAuthChange?.();
      throw new ApiError(CODE.TOKEN_INVALID, '鉴权失败/TOKEN过期', 'TOKEN_EXPIRED', 'access_token expired');
    }
    const param = parseParam(q.param);
    d.shop.settle();
    const versionRace = () => def.write && d.faults.appliesTo(method) && d.faults.roll('versionConflictRate');
    const files = multipart?.files;
    const data = def.handle(
      { shop: d.shop, now, maxWindowMs: d.maxWindowMs(), variants: d.variants(), versionRace, ...(files ? { files } : {}) },
      param,
    );
    return { data, write: def.write };
  }

  app.setNotFoundHandler((req, reply) =>
    send(
      reply.code(404),
      errorBody(new ApiError(CODE.METHOD_NOT_ALLOWED, `not found: ${req.method} ${req.url.split('?')[0]}`, 'API_NOT_FOUND')),
    ),
  );
  app.setErrorHandler((err, _req, reply) => {
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500)
      return reply
        .code(500)
        .type(JSON_TYPE)
        .send(errorBody(new ApiError(500, 'internal error', 'INTERNAL', String(err))));
    return send(
      reply,
      errorBody(new ApiError(CODE.PARAM_INVALID, `参数错误: ${err instanceof Error ? err.message : String(err)}`, 'INVALID_REQUEST')),
    );
  });

  const destroyHung = () => {
    for (const h of hung) {
      clearTimeout(h.timer);
      h.socket.destroy();
    }
    hung.clear();
  };
  return { app, destroyHung };
}

function isForm(req: FastifyRequest): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/** OAuth parameters from the query (GET) or a form body (POST, the only other verb routed); other bodies are refused. */
function oauthParams(req: FastifyRequest): Record<string, string> | null | 'bad-type' {
  if (req.method === 'GET') return flat(req.query);
  if (!isForm(req)) return 'bad-type';
  return flat(req.body);
}

/** Flattens query/body to single string values; repeated keys make the request malformed (null). */
function flat(input: unknown): Record<string, string> | null {
  if (input === null || input === undefined) return {};
  if (typeof input !== 'object') return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    if (typeof v !== 'string') return null;
    out[k] = v;
  }
  return out;
}
