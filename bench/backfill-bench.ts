// Time until every open return of a first connect is cached (detail and order), through the shipped client and
// pacer against the simulator at the platform's published limit (100 calls/s per API), with the calls it made.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../src/main/core/core';
import { syncShop } from '../src/main/core/sync/engine';
import { ok } from './desk-bench';
import { connectSim, startSimProcess } from './sim-process';

export interface BackfillResult {
  afterSales: number;
  openReturns: number;
  readyMs: number;
  doneMs: number;
  calls: Record<string, number>;
  /** A naive client at the limit: every after-sale's detail and order, lanes in parallel at 100/s each. */
  naiveReadyMs: number;
  naiveCalls: number;
}

const OPEN_READY = `SELECT count(*) FROM after_sales a LEFT JOIN orders o ON o.order_id = a.order_id
  WHERE a.handling_way IN (1, 3) AND a.status IN (10, 11, 12, 20, 21, 22, 30, 40)
    AND a.detail_version >= a.update_time AND o.order_id IS NOT NULL`;
const OPEN = `SELECT count(*) FROM after_sales a WHERE a.handling_way IN (1, 3) AND a.status IN (10, 11, 12, 20, 21, 22, 30, 40)`;

export async function backfillBench(afterSales: number): Promise<BackfillResult> {
  const sim = await startSimProcess({ afterSales, seed: 'bench-backfill', qps: 100 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'returndesk-bench-backfill-'));
  const core = createCore({ dataDir: dir, appVersion: 'bench', startServices: false });
  try {
    await ok(core, 'operators.bootstrap', { name: 'Bench', pin: '1234' });
    const shopId = await connectSim(core, sim);
    const db = core.context.db;
    const ready = db.prepare(OPEN_READY).pluck();
    const samples: { at: number; ready: number }[] = [];
    const t0 = performance.now();
    const timer = setInterval(() => samples.push({ at: performance.now() - t0, ready: ready.get() as number }), 100);
    await syncShop(core.context, shopId);
    clearInterval(timer);
    const doneMs = performance.now() - t0;
    const open = db.prepare(OPEN).pluck().get() as number;
    const finalReady = ready.get() as number;
    const readyAt = samples.find((s) => s.ready >= finalReady)?.at ?? doneMs;
    const calls = { ...core.context.platform.health.callsOf(shopId) };
    const total = db.prepare('SELECT count(*) FROM after_sales').pluck().get() as number;
    const listCalls = calls.listRefunds ?? 0;
    return {
      afterSales: total,
      openReturns: open,
      readyMs: readyAt,
      doneMs,
      calls,
      naiveReadyMs: ((listCalls + total) / 100) * 1000,
      naiveCalls: listCalls + 2 * total,
    };
  } finally {
    await core.close();
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
