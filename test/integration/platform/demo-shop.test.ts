// shops.connectDemo: the simulator inside the app, reached through the real client, restarted with the core.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { DEMO_STATE_FILE } from '../../../src/main/core/shops/demo';
import type { Shop } from '../../../src/common/contract';
import { tempDir, signedInTestCore } from '../../support/core';

const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
});

function open(dataDir: string, startServices: boolean): Core {
  const core = signedInTestCore({ dataDir, startServices, platform: { qps: 200 } });
  cores.push(core);
  return core;
}

async function demoShop(core: Core): Promise<Shop | undefined> {
  const answer = await core.dispatch('shops.list', {}, 'http');
  if (!answer.ok) throw new Error(answer.error.message);
  return (answer.data as { shops: Shop[] }).shops.find((s) => s.isDemo);
}

const lastHour = () => ({
  beginTime: Date.now() - 3600_000,
  endTime: Date.now(),
  pcursor: '',
  pageSize: 5,
  queryType: 2 as const,
  type: 9 as const,
});

describe('demo shop', () => {
  it('connects to an in-app simulator on 127.0.0.1, once, and comes back after a restart on a new base URL', async () => {
    const dataDir = tempDir();
    const first = open(dataDir, false);
    const answer = await first.dispatch('shops.connectDemo', {}, 'http');
    expect(answer).toMatchObject({ ok: true, data: { isDemo: true, status: 'connected', authMode: 'oauth', canRefresh: true } });
    const shop = (answer as { data: Shop }).data;
    expect(shop.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await first.context.platform.clientFor(shop.id).listRefunds(lastHour());
    expect(Array.isArray(page.items)).toBe(true);

    const again = await first.dispatch('shops.connectDemo', {}, 'http');
    expect(again).toMatchObject({ ok: true, data: { id: shop.id } });
    expect((await first.dispatch('shops.list', {}, 'http')) as { data: { shops: unknown[] } }).toMatchObject({
      data: { shops: [{ id: shop.id }] },
    });
    await first.close();
    cores.length = 0;
    expect(fs.existsSync(path.join(dataDir, DEMO_STATE_FILE))).toBe(true);

    // The old port is closed now; the start-up service must bring a simulator back and point the shop at it.
    const second = open(dataDir, true);
    let restarted: Shop | undefined;
    for (let i = 0; i < 100; i += 1) {
      restarted = await demoShop(second);
      if (restarted && restarted.updatedAt > shop.updatedAt) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(restarted).toMatchObject({ id: shop.id, status: 'connected', isDemo: true });
    expect(restarted!.updatedAt).toBeGreaterThan(shop.updatedAt);
    const afterRestart = await second.context.platform.clientFor(shop.id).listRefunds(lastHour());
    expect(Array.isArray(afterRestart.items)).toBe(true);
  });

  it('is unavailable, with a typed answer and no shop saved, when the entry point gave no simulator', async () => {
    const core = signedInTestCore({ demoSimulator: undefined });
    cores.push(core);
    expect(await core.dispatch('shops.connectDemo', {}, 'http')).toMatchObject({ ok: false, error: { code: 'platform_unavailable' } });
    expect(await demoShop(core)).toBeUndefined();
  });
});
