// shops.* through a real core against the stub gateway: verification before saving, no secrets out, typed errors.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { signedInTestCore, tempDir } from '../../support/core';
import { rawLogger, refundWire, SECRETS, withBigIds } from './harness';
import { fail, ok, startStub, type Stub } from './stub-platform';

const LIST = '/open/seller/order/refund/pcursor/list';
const DETAIL = '/open/seller/order/refund/detail';

let stub: Stub;
let core: Core;
let logs: string[];
let dataDir: string;

async function setup(): Promise<void> {
  stub = await startStub(SECRETS.signSecret);
  logs = [];
  dataDir = tempDir();
  core = signedInTestCore({ dataDir, logger: rawLogger(logs), platform: { timeoutMs: 1000, retryBaseMs: 1, qps: 1000 } });
}

afterEach(async () => {
  await core?.close();
  await stub?.close();
});

const pasted = () => ({
  baseUrl: stub.baseUrl,
  appKey: SECRETS.appKey,
  signSecret: SECRETS.signSecret,
  accessToken: SECRETS.accessToken,
  name: '测试店',
});

function secretCount(): number {
  return core.context.db.prepare('SELECT count(*) FROM shop_secrets').pluck().get() as number;
}

describe('shops.connect', () => {
  it('verifies with one cheap list call, then saves; list shows the shop without any secret', async () => {
    await setup();
    stub.on(LIST, () => ok({ pcursor: 'nomore', refundOrderInfoList: [] }));
    const answer = await core.dispatch(
      'shops.connect',
      { ...pasted(), appSecret: SECRETS.appSecret, refreshToken: SECRETS.refreshToken },
      'http',
    );
    expect(answer.ok).toBe(true);
    const verify = stub.calls[0]!;
    expect(verify.signOk).toBe(true);
    const param = JSON.parse(verify.params.param!);
    expect(param.pageSize).toBe(1);
    expect(param.endTime - param.beginTime).toBe(60_000);

    const list = await core.dispatch('shops.list', {}, 'http');
    expect(list).toMatchObject({
      ok: true,
      data: { shops: [{ name: '测试店', status: 'connected', authMode: 'pasted_token', canRefresh: true, isDemo: false }] },
    });
    const text = JSON.stringify(list) + JSON.stringify(answer);
    for (const secret of [SECRETS.appSecret, SECRETS.signSecret, SECRETS.accessToken, SECRETS.refreshToken])
      expect(text).not.toContain(secret);
    expect(secretCount()).toBe(4);
  });

  it('stores secrets only sealed: the database files never hold them in plain text', async () => {
    await setup();
    stub.on(LIST, () => ok({ pcursor: 'nomore', refundOrderInfoList: [] }));
    await core.dispatch('shops.connect', { ...pasted(), appSecret: SECRETS.appSecret, refreshToken: SECRETS.refreshToken }, 'http');
    core.context.db.pragma('wal_checkpoint(FULL)');
    const files = fs.readdirSync(dataDir).filter((f) => f.startsWith('returndesk.sqlite'));
    const bytes = Buffer.concat(files.map((f) => fs.readFileSync(path.join(dataDir, f))));
    for (const secret of [SECRETS.appSecret, SECRETS.signSecret, SECRETS.accessToken, SECRETS.refreshToken])
      expect(bytes.includes(secret)).toBe(false);
    // ...yet the client gets them back: a call goes out signed with the right token.
    const shopId = core.context.platform.store.list()[0]!.id;
    stub.on(DETAIL, () => ok(withBigIds(refundWire())));
    await core.context.platform.clientFor(shopId).getRefundDetail('1');
    expect(stub.calls.at(-1)!.params.access_token).toBe(SECRETS.accessToken);
    expect(stub.calls.at(-1)!.signOk).toBe(true);
  });

  it('a failed verification saves nothing and answers a typed error without secrets', async () => {
    await setup();
    stub.on(LIST, () => fail(28, `签名验证失败 ${SECRETS.signSecret}`));
    const answer = await core.dispatch('shops.connect', pasted(), 'http');
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.code).toBe('platform_rejected');
    expect(answer.error.details).toMatchObject({ kind: 'invalid_request', platformCode: '28', requestId: 'rq-fail' });
    expect(JSON.stringify(answer)).not.toContain(SECRETS.signSecret);
    expect(JSON.stringify(answer)).not.toContain(SECRETS.accessToken);
    expect((await core.dispatch('shops.list', {}, 'http')) as unknown).toEqual({ ok: true, data: { shops: [] } });
    expect(secretCount()).toBe(0);
  });

  it('an unreachable platform: platform_unavailable, nothing saved', async () => {
    await setup();
    await stub.close();
    const answer = await core.dispatch('shops.connect', pasted(), 'http');
    expect(answer).toMatchObject({ ok: false, error: { code: 'platform_unavailable' } });
    expect(secretCount()).toBe(0);
  });

  it('an expired pasted token at connect time: needs_reauthorization, nothing saved', async () => {
    await setup();
    stub.on(LIST, () => fail(25, '鉴权失败/TOKEN过期'));
    const answer = await core.dispatch('shops.connect', pasted(), 'http');
    expect(answer).toMatchObject({ ok: false, error: { code: 'needs_reauthorization' } });
    expect(secretCount()).toBe(0);
  });

  it.each([
    ['no token and no code', { appKey: 'a', signSecret: 's' }],
    ['both a token and a code', { appKey: 'a', signSecret: 's', accessToken: 't', code: 'c', appSecret: 'x' }],
    ['a code without the app secret', { appKey: 'a', signSecret: 's', code: 'c' }],
    ['a refresh token without the app secret', { appKey: 'a', signSecret: 's', accessToken: 't', refreshToken: 'r' }],
    ['no sign secret', { appKey: 'a', accessToken: 't' }],
    ['a base URL that is not http(s)', { appKey: 'a', signSecret: 's', accessToken: 't', baseUrl: 'file:///etc/passwd' }],
    ['an unknown sign method', { appKey: 'a', signSecret: 's', accessToken: 't', signMethod: 'SHA1' }],
    ['an unknown field', { appKey: 'a', signSecret: 's', accessToken: 't', password: 'p' }],
    ['a number for the app key', { appKey: 5, signSecret: 's', accessToken: 't' }],
  ])('bad input (%s) -> invalid_input, no call, nothing saved', async (_name, input) => {
    await setup();
    const answer = await core.dispatch('shops.connect', input, 'http');
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(stub.calls).toHaveLength(0);
    expect(secretCount()).toBe(0);
  });

  it('exchanges an authorization code, then verifies with the granted token', async () => {
    await setup();
    stub.on('/oauth2/access_token', (call) =>
      call.params.code === 'code-1' && call.params.app_secret === SECRETS.appSecret && call.params.grant_type === 'code'
        ? {
            body: JSON.stringify({
              result: 1,
              access_token: 'GRANTED-access-1',
              expires_in: 172800,
              refresh_token: 'GRANTED-refresh-1',
              refresh_token_expires_in: 15552000,
              open_id: 'open-9',
              scopes: ['merchant_refund', 'merchant_order'],
            }),
          }
        : { body: '{"result":100200105,"error":"invalid_grant","error_msg":"code invalid"}' },
    );
    stub.on(LIST, () => ok({ pcursor: 'nomore', refundOrderInfoList: [] }));
    const input = {
      baseUrl: stub.baseUrl,
      appKey: SECRETS.appKey,
      appSecret: SECRETS.appSecret,
      signSecret: SECRETS.signSecret,
      code: 'code-1',
    };
    const answer = await core.dispatch('shops.connect', input, 'http');
    expect(answer).toMatchObject({ ok: true, data: { authMode: 'oauth', canRefresh: true } });
    expect(stub.calls.at(-1)!.params.access_token).toBe('GRANTED-access-1');
    const bad = await core.dispatch('shops.connect', { ...input, code: 'used' }, 'http');
    expect(bad).toMatchObject({ ok: false, error: { code: 'platform_rejected', details: { platformCode: '100200105' } } });
  });

  it('a pasted token that expires makes the shop visibly needs_reauthorization; connecting again restores it', async () => {
    await setup();
    let expired = false;
    stub.on(LIST, () => (expired ? fail(25, '鉴权失败/TOKEN过期') : ok({ pcursor: 'nomore', refundOrderInfoList: [] })));
    const first = await core.dispatch('shops.connect', pasted(), 'http');
    if (!first.ok) throw new Error('connect failed');
    const shopId = (first.data as { id: string }).id;
    expired = true;
    const client = core.context.platform.clientFor(shopId);
    await expect(client.listRefunds({ beginTime: 0, endTime: 1, pcursor: '', pageSize: 1, queryType: 2, type: 9 })).rejects.toMatchObject({
      kind: 'auth_revoked',
    });
    expect(await core.dispatch('shops.list', {}, 'http')).toMatchObject({
      ok: true,
      data: { shops: [{ id: shopId, status: 'needs_reauthorization' }] },
    });

    expired = false;
    const again = await core.dispatch('shops.connect', { ...pasted(), accessToken: 'NEW-pasted-token-5555' }, 'http');
    expect(again).toMatchObject({ ok: true, data: { id: shopId, status: 'connected' } });
    await core.context.platform
      .clientFor(shopId)
      .listRefunds({ beginTime: 0, endTime: 1, pcursor: '', pageSize: 1, queryType: 2, type: 9 });
    expect(stub.calls.at(-1)!.params.access_token).toBe('NEW-pasted-token-5555');
  });

  it('no secret reaches the log, whatever happened', async () => {
    await setup();
    stub.on(LIST, () => fail(25, `鉴权失败 ${SECRETS.accessToken}`));
    await core.dispatch('shops.connect', pasted(), 'http');
    stub.on(LIST, () => ok({ pcursor: 'nomore', refundOrderInfoList: [] }));
    await core.dispatch('shops.connect', { ...pasted(), appSecret: SECRETS.appSecret, refreshToken: SECRETS.refreshToken }, 'http');
    expect(logs.length).toBeGreaterThan(0);
    const all = logs.join('\n');
    for (const secret of [SECRETS.appSecret, SECRETS.signSecret, SECRETS.accessToken, SECRETS.refreshToken])
      expect(all).not.toContain(secret);
  });
});

describe('secrets at rest through the core', () => {
  it.runIf(process.platform !== 'win32')(
    'a key file with loose permissions: connect refuses with a clear message and saves nothing',
    async () => {
      await setup();
      stub.on(LIST, () => ok({ pcursor: 'nomore', refundOrderInfoList: [] }));
      fs.writeFileSync(path.join(dataDir, 'local-secrets.key'), 'ab'.repeat(32) + '\n', { mode: 0o644 });
      fs.chmodSync(path.join(dataDir, 'local-secrets.key'), 0o644);
      const answer = await core.dispatch('shops.connect', pasted(), 'http');
      expect(answer).toMatchObject({
        ok: false,
        error: { code: 'internal', message: expect.stringMatching(/local-secrets\.key.*chmod 600/) },
      });
      expect(core.context.db.prepare('SELECT count(*) FROM shops').pluck().get()).toBe(0);
    },
  );

  it('uses the SecretBox given in CoreOptions (how Electron plugs in safeStorage)', async () => {
    stub = await startStub(SECRETS.signSecret);
    stub.on(LIST, () => ok({ pcursor: 'nomore', refundOrderInfoList: [] }));
    const sealedWith: string[] = [];
    const box = {
      kind: 'test-box',
      encrypt: (plain: string) => (sealedWith.push(plain), Buffer.from([...Buffer.from(plain)].reverse())),
      decrypt: (sealed: Buffer) => Buffer.from([...sealed].reverse()).toString(),
    };
    core = signedInTestCore({ secretBox: box, platform: { qps: 1000 } });
    await core.dispatch('shops.connect', pasted(), 'http');
    expect(sealedWith).toEqual(expect.arrayContaining([SECRETS.signSecret, SECRETS.accessToken]));
    expect(core.context.db.prepare(`SELECT DISTINCT box_kind FROM shop_secrets`).pluck().all()).toEqual(['test-box']);
    expect(fs.existsSync(path.join(core.context.dataDir, 'local-secrets.key'))).toBe(false);
  });

  it('opens each secret with the box of its recorded kind, and names the kind it cannot open', async () => {
    stub = await startStub(SECRETS.signSecret);
    stub.on(LIST, () => ok({ pcursor: 'nomore', refundOrderInfoList: [] }));
    const reversing = (kind: string) => ({
      kind,
      encrypt: (plain: string) => Buffer.from([...Buffer.from(plain)].reverse()),
      decrypt: (sealed: Buffer) => Buffer.from([...sealed].reverse()).toString(),
    });
    dataDir = tempDir();
    // The browser host seals with the local key file ...
    core = signedInTestCore({ dataDir, platform: { qps: 1000 } });
    const shopId = ((await core.dispatch('shops.connect', pasted(), 'http')) as { ok: true; data: { id: string } }).data.id;
    await core.close();
    // ... the desktop app seals with the keychain from now on, yet still opens what the key file sealed.
    core = signedInTestCore({ dataDir, secretBox: reversing('electron-safe-storage'), platform: { qps: 1000 } });
    expect(core.context.platform.store.readSecrets(shopId).accessToken).toBe(SECRETS.accessToken);
    core.context.platform.store.saveTokens(shopId, {
      accessToken: 'rotated-token',
      accessTokenExpiresAt: null,
      refreshToken: null,
      refreshTokenExpiresAt: null,
    });
    const kinds = core.context.db.prepare(`SELECT name, box_kind FROM shop_secrets ORDER BY name`).all();
    expect(kinds).toEqual([
      { name: 'access_token', box_kind: 'electron-safe-storage' },
      { name: 'sign_secret', box_kind: 'local-aes-256-gcm' },
    ]);
    await core.close();
    // The browser host cannot open the keychain's secret: it says which kind, instead of garbling it.
    core = signedInTestCore({ dataDir, platform: { qps: 1000 } });
    expect(() => core.context.platform.store.readSecrets(shopId)).toThrow(/sealed by "electron-safe-storage"/);
    await core.close();
    // The desktop app with the keychain as an opener only (no keyring to seal with) reads both kinds.
    core = signedInTestCore({ dataDir, secretOpeners: [reversing('electron-safe-storage')], platform: { qps: 1000 } });
    expect(core.context.platform.store.readSecrets(shopId)).toMatchObject({ accessToken: 'rotated-token', signSecret: SECRETS.signSecret });
  });
});
