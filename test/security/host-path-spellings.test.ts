// Finding 1: the browser host's token and Host checks held for one spelling of the path only. Every spelling
// of an API path (encoded letters, double encoding, slashes, dot segments, case, ';', '?') must get 401 without
// the token, SSE included, and a path that is not canonical is refused even with it.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core';
import { isCanonicalPath, loosestReading } from '../../src/main/web/guard';
import { startBrowserHost, type BrowserHost } from '../../src/main/web/host';
import { tempRendererDir, testCore } from '../support/core';

const TOKEN = 'sec-token-0123456789';
let core: Core;
let host: BrowserHost;

beforeAll(async () => {
  const rendererDir = tempRendererDir();
  core = testCore();
  expect((await core.dispatch('operators.bootstrap', { name: 'boss', pin: '2468' }, 'ipc')).ok).toBe(true);
  host = await startBrowserHost({ core, rendererDir, token: TOKEN });
});

afterAll(async () => {
  await host.close();
  await core.close();
});

/** Sends the path byte for byte (no client-side normalization, like curl --path-as-is). */
function send(method: string, rawPath: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path: rawPath, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        // An event stream never ends: its first bytes are enough to know it was opened.
        if (res.headers['content-type']?.includes('event-stream')) req.destroy();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('close', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const confirmSpellings = [
  '/api/receipts.confirm',
  '/%61pi/receipts.confirm',
  '/a%70i/receipts.confirm',
  '/%61%70%69/receipts.confirm',
  '/api/%72eceipts.confirm',
  '/api/receipts%2Econfirm',
  '/api%2Freceipts.confirm',
  '/api%2freceipts.confirm',
  '/%2561pi/receipts.confirm',
  '/%252561pi/receipts.confirm',
  '//api/receipts.confirm',
  '/api//receipts.confirm',
  '///api///receipts.confirm',
  '/./api/receipts.confirm',
  '/api/./receipts.confirm',
  '/x/../api/receipts.confirm',
  '/%2E/api/receipts.confirm',
  '/%2e%2e/api/receipts.confirm',
  '/API/receipts.confirm',
  '/Api/receipts.confirm',
  '/aPI/RECEIPTS.CONFIRM',
  '/api/receipts.confirm;',
  '/api/receipts.confirm;x=1',
  '/api;/receipts.confirm',
  '/api/receipts.confirm?',
  '/api/receipts.confirm?x=1',
  '/api/receipts.confirm/',
  '/api\\receipts.confirm',
  '/%5Capi/receipts.confirm',
  '/api/receipts.confirm%00',
  '/api/receipts.confirm%20',
];

const eventSpellings = [
  '/api/events',
  '/%61pi/events',
  '/api/%65vents',
  '//api/events',
  '/API/events',
  '/api/events;',
  '/api/events?',
  '/x/../api/events',
];

const body = JSON.stringify({ refundId: '1234567890123', scanId: 'scan-1' });

describe('browser host: every spelling of an API path needs the token', () => {
  it.each(confirmSpellings)('POST %s without a token is 401, with our Host or a foreign one', async (spelling) => {
    for (const hostHeader of [
      `127.0.0.1:${host.port}`,
      `attacker.example:${host.port}`,
      'attacker.example',
      `localhost.attacker.example:${host.port}`,
    ]) {
      const answer = await send('POST', spelling, { host: hostHeader, 'content-type': 'application/json' }, body);
      expect(answer.status, `${spelling} with Host ${hostHeader}`).toBe(401);
    }
  });

  it.each(eventSpellings)('GET %s (the event stream) without a token is 401', async (spelling) => {
    for (const hostHeader of [`127.0.0.1:${host.port}`, `attacker.example:${host.port}`]) {
      const answer = await send('GET', spelling, { host: hostHeader });
      expect(answer.status, `${spelling} with Host ${hostHeader}`).toBe(401);
      expect(answer.text).not.toContain('connected');
    }
  });

  it('the token does not help a foreign Host or a foreign Origin', async () => {
    const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    expect((await send('POST', '/api/app.info', { ...auth, host: `attacker.example:${host.port}` }, '{}')).status).toBe(401);
    expect((await send('POST', '/%61pi/app.info', { ...auth, host: `attacker.example:${host.port}` }, '{}')).status).toBe(401);
    const foreignOrigin = { ...auth, host: `127.0.0.1:${host.port}`, origin: 'http://attacker.example' };
    expect((await send('POST', '/api/app.info', foreignOrigin, '{}')).status).toBe(401);
    expect((await send('POST', '/api/app.info', { ...foreignOrigin, origin: 'null' }, '{}')).status).toBe(401);
    expect((await send('GET', '/api/events', { ...foreignOrigin })).status).toBe(401);
  });

  it('with the token, the canonical path works and a non-canonical one is refused before routing', async () => {
    const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', host: `127.0.0.1:${host.port}` };
    const ok = await send('POST', '/api/app.info', auth, '{}');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toMatchObject({ ok: true });
    const sameOrigin = await send('POST', '/api/app.info', { ...auth, origin: `http://127.0.0.1:${host.port}` }, '{}');
    expect(sameOrigin.status).toBe(200);
    for (const spelling of ['/%61pi/app.info', '//api/app.info', '/x/../api/app.info', '/api/app.info;']) {
      expect((await send('POST', spelling, auth, '{}')).status, spelling).toBe(400);
    }
    const stream = await send('GET', '/api/events', { authorization: `Bearer ${TOKEN}`, host: `127.0.0.1:${host.port}` });
    expect(stream.status).toBe(200);
    expect(stream.text).toContain('connected');
  });

  it('nothing was queued or audited by any of the refused calls', () => {
    const outbox = core.context.db.prepare('SELECT COUNT(*) FROM outbox').pluck().get();
    expect(outbox).toBe(0);
    const confirms = core.context.db.prepare("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'receipt%'").pluck().get();
    expect(confirms).toBe(0);
  });

  it('the renderer is still served on its own paths', async () => {
    const page = await send('GET', '/', { host: `127.0.0.1:${host.port}` });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>desk</title>');
    expect((await send('GET', '/queue', { host: `127.0.0.1:${host.port}` })).status).toBe(200);
  });
});

describe('path canonical form', () => {
  it('accepts plain paths and refuses every other spelling', () => {
    for (const ok of ['/', '/api/app.info', '/assets/index-Ab_1.js', '/queue/']) expect(isCanonicalPath(ok), ok).toBe(true);
    for (const spelling of confirmSpellings.filter(
      (s) => !/^\/api\/receipts\.confirm[?/]?$|^\/api\/receipts\.confirm\?x=1$|^\/A|^\/aPI/.test(s),
    )) {
      expect(isCanonicalPath(spelling.split('?')[0]!), spelling).toBe(false);
    }
  });

  it('the loosest reading of every spelling is the API path', () => {
    for (const spelling of confirmSpellings) expect(loosestReading(spelling.split('?')[0]!), spelling).toMatch(/^\/api\/receipts\.confirm/);
  });
});
