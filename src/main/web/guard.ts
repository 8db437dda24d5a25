// The browser host's gate: one onRequest hook that checks Host, Origin and the token for every API request,
// judged on the route Fastify actually matched and on the path in every spelling, and refuses any path that
// is not in canonical form (percent-encoding, empty or dot segments, ';', '\') before it can reach a route.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { errorEnvelope } from '../../common/contract';

const SEGMENT = /^[A-Za-z0-9\-._~]+$/;

/** The part of the request target before the query, exactly as the client sent it. */
export function rawPathOf(url: string | undefined): string {
  const target = url ?? '/';
  const end = target.search(/[?#]/);
  return end < 0 ? target : target.slice(0, end);
}

/**
 * True for a path that means exactly what it says: unreserved characters only, no empty, `.` or `..`
 * segments (a trailing `/` aside). Such a path routes the same whether read raw or decoded.
 */
export function isCanonicalPath(rawPath: string): boolean {
  if (!rawPath.startsWith('/')) return false;
  if (rawPath === '/') return true;
  const segments = rawPath.slice(1).split('/');
  return segments.every((segment, index) => {
    if (segment === '' && index === segments.length - 1) return true;
    return segment !== '.' && segment !== '..' && SEGMENT.test(segment);
  });
}

/** Decodes until stable (double encoding included), folds case, slashes and dot segments: what a lenient router might see. */
export function loosestReading(rawPath: string): string {
  let current = rawPath;
  for (let round = 0; round < 5; round += 1) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      next = current.replace(/%([0-9a-f]{2})/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    }
    if (next === current) break;
    current = next;
  }
  const folded = current
    .toLowerCase()
    .replace(/\\/g, '/')
    .replace(/;[^/]*/g, '');
  return path.posix.normalize(`/${folded}`).replace(/\/{2,}/g, '/');
}

export function isApiRequest(request: FastifyRequest): boolean {
  const routed = request.routeOptions.url;
  return (routed !== undefined && routed.startsWith('/api')) || /^\/api(\/|$)/.test(loosestReading(rawPathOf(request.raw.url)));
}

export function tokenMatches(expected: string, header: string | undefined): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length));
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** Refuses DNS-rebinding pages and other sites: only our own loopback origin may talk to the API. */
export function originAllowed(request: FastifyRequest, port: number): boolean {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!allowedHosts.includes(request.headers.host ?? '')) return false;
  const origin = request.headers.origin;
  return origin === undefined || allowedHosts.some((host) => origin === `http://${host}`);
}

export function registerGuard(app: FastifyInstance, token: string, port: () => number): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const rawPath = rawPathOf(request.raw.url);
    const canonical = isCanonicalPath(rawPath);
    if (isApiRequest(request) || !canonical) {
      if (!originAllowed(request, port()) || !tokenMatches(token, request.headers.authorization)) {
        return reply.code(401).send(errorEnvelope('unauthorized', 'Missing or wrong desk token'));
      }
    }
    if (!canonical) return reply.code(400).send(errorEnvelope('invalid_input', 'The request path is not in canonical form'));
  });
}
