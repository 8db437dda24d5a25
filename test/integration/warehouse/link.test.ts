// The warehouse link's seam: configuration at the entry points, one puller per shop among desks, takeover when the
// puller's core closes, and a desk whose warehouse is unreachable: working from SQLite, pulling alone after a while,
// sharing what it pulled once the warehouse answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/main/core/core';
import { isWarehouseError } from '../../../src/main/warehouse/errors';
import { prepareWarehouseMode, warehouseTargetOf, WAREHOUSE_PASSWORD_ENV } from '../../../src/main/warehouse/link/start';
import { warehouseShopIdOf } from '../../../src/main/warehouse/link/shop-identity';
import { parseWarehouseUrl } from '../../../src/main/warehouse/config';
import { configureSync } from '../../../src/main/core/sync/runtime';
import { readState } from '../../../src/main/core/sync/state';
import { startSimulator } from '../../../src/main/sim';
import { tempDir } from '../../support/core';
import { connectToSimulator } from '../../support/simulator-shop';
import { FAST_PLATFORM, FAST_SYNC } from '../sync/support';
import { desksPerTest, FAST_LINK, leaderOf, until } from './support/desks';
import { freePort, startTestWarehouse, type TestWarehouse } from './support/pg-server';

describe('warehouse mode configuration (entry points)', () => {
  it('is off without a URL, reads --warehouse before the environment, and takes the password from the environment only', () => {
    expect(prepareWarehouseMode({ argv: ['--data-dir', 'x'], env: {} })).toBeNull();
    const fromFlag = warehouseTargetOf({
      argv: ['--warehouse', 'postgres://desk@db.lan:5433/wh'],
      env: { RETURNDESK_WAREHOUSE_URL: 'postgres://other@elsewhere/db', [WAREHOUSE_PASSWORD_ENV]: 's3cret' },
    });
    expect(fromFlag).toMatchObject({ source: 'argument', target: { host: 'db.lan', port: 5433, user: 'desk', password: 's3cret' } });
    const fromEnv = warehouseTargetOf({ argv: [], env: { RETURNDESK_WAREHOUSE_URL: 'postgres://desk@db.lan/wh?sslmode=require' } });
    expect(fromEnv).toMatchObject({ source: 'environment', target: { database: 'wh', tls: { mode: 'require' } } });
    expect(fromEnv?.target.password).toBeUndefined();
  });

  it('refuses a wrong URL with a typed error instead of starting alone', () => {
    let caught: unknown;
    try {
      prepareWarehouseMode({ argv: ['--warehouse=mysql://desk@db/wh'], env: {} });
    } catch (error) {
      caught = error;
    }
    expect(isWarehouseError(caught, 'warehouse_config_invalid')).toBe(true);
  });

  it('names a shop by its platform address and app key, the same at every desk', () => {
    const a = warehouseShopIdOf({ baseUrl: 'https://openapi.kwaixiaodian.com', appKey: 'ks_app_1' });
    expect(a).toMatch(/^[0-9]+$/);
    expect(warehouseShopIdOf({ baseUrl: 'https://openapi.kwaixiaodian.com', appKey: 'ks_app_1' })).toBe(a);
    expect(warehouseShopIdOf({ baseUrl: 'https://openapi.kwaixiaodian.com', appKey: 'ks_app_2' })).not.toBe(a);
  });
});

describe('desks linked to one warehouse', () => {
  const startCluster = desksPerTest();

  it('lets exactly one desk pull each shop, and another take over within seconds when that desk closes', async () => {
    const cluster = await startCluster({ desks: 3, shops: [{ afterSales: 50 }, { afterSales: 50 }], startServices: false });
    await Promise.all(cluster.desks.map((desk) => desk.link.whenLinked()));
    await until('a puller for both shops', () => leaderOf(cluster, 0) !== null && leaderOf(cluster, 1) !== null);
    const first = leaderOf(cluster, 0)!;
    const followers = cluster.desks.filter((desk) => desk !== first);
    for (const desk of followers) expect(desk.core.context.sync.gate.pulls(desk.shopIds[0]!)).toBe(false);
    expect(new Set(cluster.desks.map((desk) => desk.link.deskId))).toHaveProperty('size', 3);

    await first.close();
    const tookMs = await until('a new puller for shop 0', () => leaderOf(cluster, 0) !== null, 10_000);
    expect(followers).toContain(leaderOf(cluster, 0));
    console.info(
      `[warehouse] shop leadership taken over ${tookMs} ms after the leader's core closed (leader retry ${FAST_LINK.leaderRetryMs} ms)`,
    );
  });
});

describe('a desk whose warehouse is unreachable', () => {
  let warehouse: TestWarehouse | null = null;
  beforeAll(async () => {
    warehouse = await startTestWarehouse();
  });
  afterAll(async () => {
    await warehouse?.stop();
  });

  it('starts and works from its SQLite, pulls alone after a while, then links and shares what it pulled', async () => {
    // A port where nothing listens yet: the link keeps retrying while the desk answers from SQLite.
    const port = await freePort();
    const url = `postgres://${warehouse!.target.user}@127.0.0.1:${port}/${warehouse!.target.database}`;
    const mode = prepareWarehouseMode(
      { argv: ['--warehouse', url], env: { [WAREHOUSE_PASSWORD_ENV]: warehouse!.target.password } },
      { ...FAST_LINK, pullAloneAfterMs: 500, connection: { connectTimeoutMs: 500 } },
    )!;
    expect(mode.target).toEqual(parseWarehouseUrl(url, { password: warehouse!.target.password }));
    const sim = await startSimulator({ port: 0, seed: 'warehouse-offline', afterSales: 60, qpsPerApi: 10_000 });
    const core = createCore({ dataDir: tempDir('returndesk-offline-'), appVersion: 'test', platform: FAST_PLATFORM, syncGate: mode.gate });
    let closed = false;
    const close = async () => {
      if (!closed) await core.close();
      closed = true;
    };
    try {
      const shopId = await connectToSimulator(core, sim);
      configureSync(core.context, FAST_SYNC);
      const link = mode.attach(core);
      const miss = await core.dispatch('scan.lookup', { code: 'SF1000000000001', source: 'scanner' }, 'http');
      expect(miss).toMatchObject({ ok: true, data: { outcome: 'not_found' } });
      expect(mode.gate.pulls(shopId)).toBe(false);
      // Out of reach for longer than pullAloneAfterMs: the desk pulls the shop itself.
      await until('pulling alone', () => mode.gate.alone, 5_000);
      await until('the shop pulled alone', () => readState(core.context.db, shopId)?.backfillDone === true, 30_000);
      expect(link.status).toBe('connecting');
      const pulled = core.context.db.prepare('SELECT count(*) FROM after_sales').pluck().get() as number;
      expect(pulled).toBeGreaterThan(0);
      // The same warehouse, reachable now through a link on that port.
      const proxy = await forwardPort(port, warehouse!.target.port);
      try {
        await until('linked', () => link.status === 'linked', 10_000);
        expect(mode.gate.alone).toBe(false);
        const pool = warehouse!.pool();
        await until('what it pulled alone is shared', async () => {
          const row = (await pool.query('SELECT count(*)::int AS n FROM after_sales')).rows[0] as { n: number };
          return row.n === pulled;
        });
      } finally {
        await close();
        await proxy.close();
      }
      expect(link.status).toBe('stopped');
    } finally {
      await close();
      await sim.close();
    }
  }, 60_000);
});

/** A TCP forwarder from `fromPort` to `toPort` on 127.0.0.1 (the warehouse "coming back" on the URL's port). */
async function forwardPort(fromPort: number, toPort: number): Promise<{ close(): Promise<void> }> {
  const net = await import('node:net');
  const sockets = new Set<import('node:net').Socket>();
  const server = net.createServer((inbound) => {
    const outbound = net.connect(toPort, '127.0.0.1');
    sockets.add(inbound).add(outbound);
    inbound.pipe(outbound).pipe(inbound);
    const drop = () => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', drop).on('close', drop);
    outbound.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(fromPort, '127.0.0.1', resolve));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
