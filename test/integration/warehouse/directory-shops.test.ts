// Shops through the warehouse key: a shop connected at desk A (given the key) is worked at desk B, which never
// connected it; a desk with another key or none keeps its own shops, is told why (typed), and changes nothing shared.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/core';
import { startSimulator, type RunningSimulator } from '../../../src/main/sim';
import { writeWarehouseKeyFile } from '../../../src/main/warehouse/key-files';
import type { ShopsPart } from '../../../src/main/warehouse/link/directory-shops';
import type { WarehouseLink } from '../../../src/main/warehouse/link/link';
import { forTarget, warehouseKeyFileOf, WAREHOUSE_KEY_ENV } from '../../../src/main/warehouse/link/start';
import { WarehouseKey } from '../../../src/main/warehouse/warehouse-key';
import { ensureSignedIn, tempDir } from '../../support/core';
import { connectToSimulator } from '../../support/simulator-shop';
import { FAST_PLATFORM } from '../sync/support';
import { FAST_LINK, startDesks, until, type DeskCluster } from './support/desks';
import { startTestWarehouse, type TestWarehouse } from './support/pg-server';

let warehouse: TestWarehouse;
let sim: RunningSimulator;
let cluster: DeskCluster;
let keyDir: string;
let keyFile: string;
const extra: Core[] = [];

beforeAll(async () => {
  warehouse = await startTestWarehouse();
  sim = await startSimulator({ port: 0, seed: 'warehouse-directory-shops', afterSales: 40, qpsPerApi: 10_000 });
  keyDir = mkdtempSync(path.join(tmpdir(), 'returndesk-wk-'));
  keyFile = path.join(keyDir, 'warehouse.key');
  await writeWarehouseKeyFile(keyFile, WarehouseKey.create());
  // Two desks, each given the key file once (as `--warehouse-key FILE` does), and no shop connected yet.
  cluster = await startDesks({ desks: 2, shops: [], warehouse, link: { keyFile } });
  await Promise.all(cluster.desks.map((desk) => desk.link.whenLinked()));
}, 120_000);
afterAll(async () => {
  for (const core of extra) await core.close().catch(() => undefined);
  await cluster?.stop();
  await sim?.close();
  await warehouse?.stop();
});

const shopsPartOf = (link: WarehouseLink) => link.part<ShopsPart>('shops')!;
const simShopAt = (core: Core) => core.context.shops.list().find((shop) => shop.baseUrl === sim.baseUrl) ?? null;
const cachedAfterSales = (core: Core, shopId: string) =>
  core.context.db.prepare('SELECT count(*) FROM after_sales WHERE shop_id = ?').pluck().get(shopId) as number;

async function sharedRow() {
  const result = await warehouse
    .pool()
    .query("SELECT credentials_ciphertext, credentials_key_id, profile FROM shops WHERE credentials_key_id <> ''");
  return result.rows as { credentials_ciphertext: Buffer; credentials_key_id: string; profile: Record<string, unknown> }[];
}

/** A desk outside the cluster, linked with its own key option (or none). */
async function loneDesk(keyOption: string | null): Promise<{ core: Core; link: WarehouseLink }> {
  const dataDir = tempDir('returndesk-lone-');
  const mode = forTarget(warehouse.target, { ...FAST_LINK, keyFile: keyOption });
  const core = createCore({ dataDir, appVersion: 'test', startServices: false, platform: FAST_PLATFORM, syncGate: mode.gate });
  extra.push(core);
  ensureSignedIn(core);
  const link = mode.attach(core);
  await link.whenLinked();
  return { core, link };
}

describe('the warehouse key option', () => {
  it('is read from --warehouse-key (either form), then from the environment', () => {
    expect(warehouseKeyFileOf({ argv: ['--warehouse-key', '/k/a.key'], env: { [WAREHOUSE_KEY_ENV]: '/k/b.key' } })).toBe('/k/a.key');
    expect(warehouseKeyFileOf({ argv: ['--warehouse-key=/k/c.key'], env: {} })).toBe('/k/c.key');
    expect(warehouseKeyFileOf({ argv: [], env: { [WAREHOUSE_KEY_ENV]: '/k/b.key' } })).toBe('/k/b.key');
    expect(warehouseKeyFileOf({ argv: [], env: {} })).toBeNull();
    expect(() => warehouseKeyFileOf({ argv: ['--warehouse-key'], env: {} })).toThrow(/needs a file/);
  });
});

describe('shops shared through the warehouse key', () => {
  it('makes a shop connected only at desk A workable at desk B: its after-sales are there and a scan at B finds them', async () => {
    const [a, b] = cluster.desks as [(typeof cluster.desks)[0], (typeof cluster.desks)[0]];
    expect(simShopAt(b.core)).toBeNull();
    await connectToSimulator(a.core, sim);
    const tookMs = await until('the shop at desk B', () => simShopAt(b.core) !== null);
    console.info(`[warehouse] a shop connected at A was workable at B after ${tookMs} ms`);
    const atB = simShopAt(b.core)!;
    expect(atB).toMatchObject({ appKey: sim.credentials.appKey, status: 'connected', hasRefreshToken: true, hasAppSecret: true });

    const total = sim.control.findAfterSales({}, 1_000_000).length;
    await until('every after-sale of the shop at desk B', () => cachedAfterSales(b.core, atB.id) === total, 60_000);
    const waybill = b.core.context.db
      .prepare('SELECT return_express_no FROM after_sales WHERE shop_id = ? AND return_express_no IS NOT NULL LIMIT 1')
      .pluck()
      .get(atB.id) as string;
    const scanned = await b.core.dispatch('scan.lookup', { code: waybill, source: 'scanner' }, 'http');
    expect(scanned.ok && (scanned.data as { outcome: string }).outcome).not.toBe('not_found');

    // B holds working credentials: a real platform call with them succeeds.
    const now = Date.now();
    const page = await b.core.context.platform
      .clientFor(atB.id)
      .listRefunds({ beginTime: now - 60_000, endTime: now, pcursor: '', pageSize: 1, queryType: 2, type: 9 });
    expect(page).toBeDefined();

    // Only A shared the shop; B took it without sending it back; PostgreSQL holds no secret in the clear.
    expect(shopsPartOf(a.link).counters.pushed).toBe(1);
    expect(shopsPartOf(b.link).counters.pushed).toBe(0);
    const [row] = await sharedRow();
    const stored = JSON.stringify(row) + row!.credentials_ciphertext.toString('latin1');
    for (const secret of [sim.credentials.signSecret, sim.credentials.accessToken, sim.credentials.appSecret]) {
      expect(stored).not.toContain(secret);
    }
    expect(row!.profile).toMatchObject({ baseUrl: sim.baseUrl, appKey: sim.credentials.appKey });
  }, 90_000);

  it('refuses a desk with another key, typed, and changes nothing shared', async () => {
    const wrongFile = path.join(keyDir, 'other.key');
    await writeWarehouseKeyFile(wrongFile, WarehouseKey.create());
    const before = await sharedRow();
    const c = await loneDesk(wrongFile);
    const part = shopsPartOf(c.link);
    await until('the shared shop refused at desk C', () => part.lastRefusal === 'warehouse_key_mismatch');
    expect(simShopAt(c.core)).toBeNull();

    // C connects the shop itself: it works there, but its credentials are not written over the warehouse's.
    const refused = part.counters.refused;
    await connectToSimulator(c.core, sim);
    await until('C’s push refused', () => part.counters.refused > refused);
    expect(part.lastRefusal).toBe('warehouse_key_mismatch');
    expect(part.counters.pushed).toBe(0);
    expect(simShopAt(c.core)?.status).toBe('connected');
    const after = await sharedRow();
    expect(after).toHaveLength(1);
    expect(after[0]!.credentials_key_id).toBe(before[0]!.credentials_key_id);
    expect(after[0]!.credentials_ciphertext.equals(before[0]!.credentials_ciphertext)).toBe(true);
    expect(c.link.status).toBe('linked');
  });

  it('lets a desk without the key keep its own shops and say why it receives none', async () => {
    const d = await loneDesk(null);
    const part = shopsPartOf(d.link);
    expect(part.lastRefusal).toBe('warehouse_key_missing');
    expect(d.link.status).toBe('linked');
    expect(simShopAt(d.core)).toBeNull();
  });
});
