// A tiny fastify stand-in for the Kuaishou gateway: checks signatures independently and answers what a test scripts.
import formbody from '@fastify/formbody';
import Fastify, { type FastifyReply } from 'fastify';
import { createHash, createHmac } from 'node:crypto';

export interface StubCall {
  verb: string;
  path: string;
  params: Record<string, string>;
  contentType: string | undefined;
  signOk: boolean;
}

export type StubAnswer = { body: string; status?: number } | { hang: true } | { destroy: true };

export type StubHandler = (call: StubCall, reply: FastifyReply) => StubAnswer | Promise<StubAnswer>;

export interface Stub {
  baseUrl: string;
  calls: StubCall[];
  on(path: string, handler: StubHandler): void;
  close(): Promise<void>;
}

/** Independent of the client's sign.ts: the algorithm of docs/platform.md ("Signing") written out again. */
export function expectedSign(params: Record<string, string>, signSecret: string): string {
  const keys = ['access_token', 'appkey', 'method', 'param', 'signMethod', 'timestamp', 'version']
    .filter((k) => params[k] !== undefined)
    .sort();
  const text = keys.map((k) => `${k}=${params[k]}`).join('&') + `&signSecret=${signSecret}`;
  return params.signMethod === 'MD5'
    ? createHash('md5').update(text).digest('hex')
    : createHmac('sha256', signSecret).update(text).digest('base64');
}

export const ok = (data: unknown, extra = ''): StubAnswer => ({
  body: `{"result":1,"error_msg":"SUCCESS","requestId":"rq-ok"${extra},"data":${typeof data === 'string' ? data : JSON.stringify(data)}}`,
});
export const fail = (result: number | string, message: string, extra: Record<string, unknown> = {}): StubAnswer => ({
  body: JSON.stringify({ result, error_msg: message, code: String(result), msg: message, requestId: 'rq-fail', ...extra }),
});

export async function startStub(signSecret: string): Promise<Stub> {
  const app = Fastify({ logger: false });
  await app.register(formbody);
  const calls: StubCall[] = [];
  const handlers = new Map<string, StubHandler>();
  const hanging: FastifyReply[] = [];
  app.all('/*', async (request, reply) => {
    const params = (request.method === 'GET' ? request.query : request.body) as Record<string, string>;
    const path = request.url.split('?')[0]!;
    const signOk = params.sign !== undefined && params.sign === expectedSign(params, signSecret);
    const call: StubCall = { verb: request.method, path, params: { ...params }, contentType: request.headers['content-type'], signOk };
    calls.push(call);
    const handler = handlers.get(path);
    const answer: StubAnswer = handler ? await handler(call, reply) : { status: 404, body: 'not here' };
    if ('hang' in answer) {
      hanging.push(reply);
      return reply.hijack();
    }
    if ('destroy' in answer) {
      request.raw.socket.destroy();
      return reply.hijack();
    }
    return reply
      .status(answer.status ?? 200)
      .type('application/json;charset=UTF-8')
      .send(answer.body);
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    on: (path, handler) => handlers.set(path, handler),
    close: async () => {
      for (const reply of hanging) reply.raw.socket?.destroy();
      await app.close();
    },
  };
}
