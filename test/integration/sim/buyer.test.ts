// The buyer clock and persistence: deterministic steps that bump updateTime; a restart with statePath keeps the world.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../../src/main/sim/index';
import { call, testClock } from './signed-request';

describe('sim buyer clock', () => {
  it('same seed and steps give the same events; every change bumps updateTime', async () => {
    const run = async () => {
      const clock = testClock();
      const s = await startSimulator({ seed: 'buyers', afterSales: 3000, now: clock.now });
      const before = new Map<string, number>();
      const events = [];
      for (let k = 0; k < 40; k += 1) {
        clock.advance(30_000);
        const evs = s.control.buyerStep();
        for (const e of evs) {
          if (e.kind !== 'created') before.set(e.refundId, before.get(e.refundId) ?? 0);
          const now = s.control.getAfterSale(e.refundId)!;
          expect(now.status).toBe(e.to);
          expect(now.updateTime).toBeGreaterThanOrEqual(clock.now());
        }
        events.push(...evs);
      }
      await s.close();
      return events;
    };
    const a = await run();
    expect(a.length).toBeGreaterThanOrEqual(40);
    const kinds = new Set(a.map((e) => e.kind));
    for (const k of ['shipped', 'created', 'cancelled']) expect(kinds.has(k as never)).toBe(true);
    for (const e of a.filter((x) => x.kind === 'shipped')) expect([e.from, e.to]).toEqual([30, 40]);
    for (const e of a.filter((x) => x.kind === 'cancelled')) expect(e.to).toBe(70);
    expect(await run()).toEqual(a);
  });

  it('a cancelled after-sale refuses writes with 300013', async () => {
    const s = await startSimulator({ afterSales: 10 });
    try {
      const a = s.control.addAfterSale({ status: 30 });
      s.control.buyerCancels(a.refundId);
      const r = await call(s, 'open.seller.order.refund.confirm.receipt', { refundId: a.refundId });
      expect(r.body.result).toBe(300013);
    } finally {
      await s.close();
    }
  });

  it('persists changed after-sales, writes and tokens across a restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-state-'));
    const statePath = path.join(dir, 'world.json');
    try {
      const clock = testClock();
      const s1 = await startSimulator({ seed: 'persist', afterSales: 500, now: clock.now, statePath });
      const a = s1.control.addAfterSale({ status: 40, bigIds: true });
      expect((await call(s1, 'open.seller.order.refund.confirm.receipt', { refundId: a.refundId })).body.result).toBe(1);
      const refreshed = await fetch(`${s1.baseUrl}/oauth2/refresh_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: s1.credentials.refreshToken,
          app_id: s1.credentials.appKey,
          app_secret: s1.credentials.appSecret,
        }).toString(),
      }).then((r) => r.json() as Promise<{ access_token: string; refresh_token: string }>);
      await s1.close();
      // Like a real platform, the state keeps digests of tokens: none of them is readable in the file.
      const saved = fs.readFileSync(statePath, 'utf8');
      for (const secret of [refreshed.access_token, refreshed.refresh_token, s1.credentials.accessToken, s1.credentials.refreshToken]) {
        expect(saved).not.toContain(secret);
      }
      clock.advance(3_600_000);
      const s2 = await startSimulator({ seed: 'persist', afterSales: 500, now: clock.now, statePath });
      try {
        expect(s2.control.world().anchor).toBe(s1.control.world().anchor);
        expect(s2.control.getAfterSale(a.refundId)!.status).toBe(60);
        expect(s2.control.stats().writes.map((w) => w.refundId)).toEqual([a.refundId]);
        const r = await call(s2, 'open.seller.order.refund.detail', { refundId: a.refundId }, { accessToken: refreshed.access_token });
        expect(r.body.result).toBe(1);
      } finally {
        await s2.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
