// The platform client's transport over Electron's net.fetch: same answers and failure codes as the axios one.
import { describe, expect, it, vi } from 'vitest';
import { TransportFailure } from '../../../src/main/core/platform/http';
import { createNetTransport } from '../../../src/main/shell/net-transport';

const request = { verb: 'POST' as const, url: 'https://open.example/api', form: { sign: 's', param: '{}' }, timeoutMs: 1000 };

async function failure(error: unknown): Promise<TransportFailure> {
  const transport = createNetTransport(() => Promise.reject(error));
  return transport(request).then(
    () => {
      throw new Error('expected a failure');
    },
    (caught: unknown) => caught as TransportFailure,
  );
}

describe('createNetTransport', () => {
  it('posts the form and answers status and raw text, without following redirects', async () => {
    const fetch = vi.fn(async () => new Response('{"id":9007199254740993}', { status: 200 }));
    const answer = await createNetTransport(fetch)(request);
    expect(answer).toEqual({ status: 200, body: '{"id":9007199254740993}' });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('https://open.example/api');
    expect(init).toMatchObject({ method: 'POST', body: 'sign=s&param=%7B%7D', redirect: 'manual' });
  });

  it("maps Chromium's never-sent errors to the codes the retry rules know, and hides the message", async () => {
    const refused = await failure(new Error('net::ERR_CONNECTION_REFUSED https://open.example/api?access_token=secret'));
    expect(refused).toBeInstanceOf(TransportFailure);
    expect(refused.code).toBe('ECONNREFUSED');
    expect(refused.message).not.toContain('secret');
    expect((await failure(new TypeError('fetch failed', { cause: new Error('net::ERR_NAME_NOT_RESOLVED') }))).code).toBe('ENOTFOUND');
    expect((await failure(new Error('net::ERR_PROXY_CONNECTION_FAILED'))).code).toBe('ECONNREFUSED');
    // Possibly sent: kept as Chromium's code, which the client treats as "the write may have been applied".
    expect((await failure(new Error('net::ERR_CONNECTION_RESET'))).code).toBe('ERR_CONNECTION_RESET');
  });

  it('reports a deadline as a timeout', async () => {
    const timeout = await failure(new DOMException('The operation timed out.', 'TimeoutError'));
    expect(timeout.timedOut).toBe(true);
    expect(timeout.code).toBe('ETIMEDOUT');
  });
});
