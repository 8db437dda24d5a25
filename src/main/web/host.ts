// The browser host: serves the built renderer and the DeskApi over HTTP + SSE on 127.0.0.1, guarded by a token.
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { errorEnvelope, isEventName, type DeskError, type Envelope } from '../../common/contract';
import type { Core } from '../core/core';
import { CONTENT_SECURITY_POLICY } from '../../common/security-policy';
import { registerGuard } from './guard';
import { SignInBackoff } from './sign-in-backoff';

export { tokenMatches } from './guard';

export const MAX_BODY_BYTES = 256 * 1024;

export interface BrowserHostOptions {
  core: Core;
  rendererDir: string;
  port?: number;
  token?: string;
}

export interface BrowserHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? newToken();
  const app = Fastify({ bodyLimit: MAX_BODY_BYTES, logger: false });
  let port = 0;
  registerApi(app, options.core, token, () => port);
  await registerRenderer(app, options.rendererDir);
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close: () => app.close(),
  };
}

function registerApi(app: FastifyInstance, core: Core, token: string, port: () => number): void {
  const signInBackoff = new SignInBackoff();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, body === '' ? {} : JSON.parse(body as string));
    } catch {
      done(null, { __malformedJson: true });
    }
  });

  registerGuard(app, token, port);

  app.setErrorHandler((error: { statusCode?: number; code?: string }, _request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send(errorEnvelope('payload_too_large', `Request bodies are limited to ${MAX_BODY_BYTES} bytes`));
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(415).send(errorEnvelope('invalid_input', 'Send the call as application/json'));
    }
    return reply
      .code(error.statusCode && error.statusCode < 500 ? error.statusCode : 500)
      .send(errorEnvelope('internal', 'Request failed'));
  });

  app.post<{ Params: { method: string } }>('/api/:method', async (request, reply) => {
    const body = request.body as unknown;
    if (body && typeof body === 'object' && '__malformedJson' in body) {
      return reply.code(400).send(errorEnvelope('invalid_input', 'The request body is not valid JSON'));
    }
    if (request.params.method !== 'operators.signIn') {
      return reply.code(200).send(await core.dispatch(request.params.method, body, 'http'));
    }
    try {
      signInBackoff.begin(request.ip);
    } catch (error) {
      const refusal = error as DeskError;
      return reply.code(429).send(errorEnvelope(refusal.code, refusal.message, refusal.details));
    }
    let envelope: Envelope<unknown> | null = null;
    try {
      envelope = await core.dispatch(request.params.method, body, 'http');
      return reply.code(200).send(envelope);
    } finally {
      signInBackoff.end(request.ip, envelope?.ok === true);
    }
  });

  app.get('/api/events', (request, reply) => streamEvents(core, request, reply));
}

function streamEvents(core: Core, request: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  raw.write(': connected\n\n');
  const unsubscribe = core.events.subscribe((name, payload) => {
    if (isEventName(name)) raw.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
  });
  const keepAlive = setInterval(() => raw.write(': ping\n\n'), 15_000);
  request.raw.on('close', () => {
    clearInterval(keepAlive);
    unsubscribe();
  });
}

async function registerRenderer(app: FastifyInstance, rendererDir: string): Promise<void> {
  const root = path.resolve(rendererDir);
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    throw new Error(`No built renderer in ${root}: run "npm run build" first`);
  }
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith('/api/')) {
      reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
    }
    return payload;
  });
  await app.register(fastifyStatic, { root, index: ['index.html'], wildcard: false });
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/')) return reply.code(404).send(errorEnvelope('unknown_method', 'No such endpoint'));
    return reply.sendFile('index.html');
  });
}
