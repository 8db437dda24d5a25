// The browser host over real loopback HTTP: token, host header, malformed and oversized bodies, SSE events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { MAX_BODY_BYTES, startBrowserHost, tokenMatches, type BrowserHost } from '../../../src/main/web/host';
import { tempRendererDir, testCore } from '../../support/core';

let core: Core;
let host: BrowserHost;
let base: string;

beforeAll(async () => {
  const rendererDir = tempRendererDir();
  core = testCore();
  host = await startBrowserHost({ core, rendererDir, token: 'test-token-123' });
  base = `http://127.0.0.1:${host.port}`;
});

afterAll(async () => {
  await host.close();
  await core.close();
});

const call = (method: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer test-token-123', ...headers },
    body,
  });

describe('browser host', () => {
  it('binds to loopback only and prints a URL carrying the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=test-token-123`);
  });

  it('answers a valid call', async () => {
    const response = await call('app.info', '{}');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, data: { transport: 'http' } });
  });

  it('refuses calls without or with a wrong token, and runs nothing', async () => {
    for (const authorization of ['', 'Bearer wrong', 'Bearer test-token-1234', 'test-token-123']) {
      const response = await call('app.info', '{}', { authorization });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          path: '/api/app.info',
          method: 'POST',
          headers: { host: 'evil.example', authorization: 'Bearer test-token-123', 'content-type': 'application/json' },
        },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(401);
  });

  it('answers invalid_input for malformed JSON and schema violations', async () => {
    expect(await (await call('app.info', '{not json')).json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const violation = await (await call('app.info', '{"unexpected":true}')).json();
    expect(violation).toMatchObject({ ok: false, error: { code: 'invalid_input', details: { issues: [{ path: '(root)' }] } } });
  });

  it('answers unknown_method for a method outside the contract', async () => {
    expect(await (await call('shops.dropAll', '{}')).json()).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });

  it('refuses oversized bodies', async () => {
    const response = await call('app.info', JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES + 10) }));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'payload_too_large' } });
  });

  it('serves the renderer with a strict CSP', async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('streams core events over SSE to an authorized client only', async () => {
    expect((await fetch(`${base}/api/events`)).status).toBe(401);
    const controller = new AbortController();
    const response = await fetch(`${base}/api/events`, { headers: { authorization: 'Bearer test-token-123' }, signal: controller.signal });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    await reader.read();
    core.events.emit('outbox.changed', { pending: 3, conflicts: 1 });
    let text = '';
    while (!text.includes('\n\n', text.indexOf('event: outbox.changed'))) text += (await reader.read()).value ?? '';
    controller.abort();
    expect(text).toContain('event: outbox.changed\ndata: {"pending":3,"conflicts":1}');
  });
});

describe('token comparison', () => {
  it('needs the exact bearer token', () => {
    expect(tokenMatches('abc', 'Bearer abc')).toBe(true);
    expect(tokenMatches('abc', 'Bearer abcd')).toBe(false);
    expect(tokenMatches('abc', 'bearer abc')).toBe(false);
    expect(tokenMatches('abc', undefined)).toBe(false);
  });
});
