// SIGKILL the core (a child process run with tsx) at random points during sync and outbox draining, many times.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../src/main/core/db/open';
import { saveSettings } from '../../../src/main/core/settings/settings';
import { enqueueConfirm, enqueueWaybillSubmit } from '../../../src/main/core/sync/api';
import type { RunningSimulator } from '../../../src/main/sim';
import { signedInTestCore } from '../../support/core';
import { connectCore, countBy, FAST_PLATFORM, simulator, worldAfterSales } from './support';

const ROOT = path.resolve(__dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const CHILD = path.join(__dirname, 'kill-child.ts');
const KILLS_PER_PHASE = 7;

let sim: RunningSimulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

/** A small deterministic generator, so a failing run can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** Runs the child; with a kill point it is SIGKILLed after that many units of work plus a few ms (unless it finished first). */
function runChild(
  dataDir: string,
  mode: 'sync' | 'drain',
  kill: { ticks: number; ms: number } | null,
): Promise<{ killed: boolean; out: string }> {
  return new Promise((resolve, reject) => {
    // Its own process group: tsx runs the script in a child node process, and the kill must reach both.
    const child = spawn(TSX, [CHILD, dataDir, mode], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killed = false;
    let armed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (kill !== null && !armed && out.split('tick').length - 1 >= kill.ticks) {
        armed = true;
        setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) {
            killed = true;
            process.kill(-child.pid!, 'SIGKILL');
          }
        }, kill.ms);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (killed || signal === 'SIGKILL') resolve({ killed: true, out });
      else if (code === 0) resolve({ killed: false, out });
      else reject(new Error(`child ${mode} exited ${code}: ${err.slice(-2000)}`));
    });
  });
}

function inspect(dataDir: string) {
  const db = new Database(path.join(dataDir, DATABASE_FILE));
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      afterSales: db.prepare('SELECT count(*) FROM after_sales').pluck().get() as number,
      outbox: db.prepare('SELECT count(*) FROM outbox').pluck().get() as number,
      states: db.prepare('SELECT state, count(*) AS n FROM outbox GROUP BY state ORDER BY state').all() as { state: string; n: number }[],
    };
  } finally {
    db.close();
  }
}

describe('kill -9 resilience', () => {
  it('ends every SIGKILL with an intact database, nothing lost and no write applied twice', async () => {
    sim = await simulator({ seed: 'sync-kill', afterSales: 1_500, qpsPerApi: 10_000 });
    const setup = await connectCore(sim);
    const { dataDir } = setup;
    saveSettings(setup.core.context, { undoWindowMs: 0 });
    await setup.core.close();
    const random = rng(20_250_601);
    let kills = 0;

    // Phase 1: kills during the first backfill.
    let seen = 0;
    for (let k = 0; k < KILLS_PER_PHASE; k += 1) {
      const run = await runChild(dataDir, 'sync', { ticks: 1 + Math.floor(random() * 60), ms: Math.floor(random() * 30) });
      if (run.killed) kills += 1;
      const state = inspect(dataDir);
      expect(state.integrity).toBe('ok');
      expect(state.afterSales).toBeGreaterThanOrEqual(seen);
      seen = state.afterSales;
      // Buyers keep going between runs, so every later run has incremental work to be killed in.
      sim.control.buyerStep(25);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await runChild(dataDir, 'sync', null)).out).toContain('synced');
    const db = new Database(path.join(dataDir, DATABASE_FILE));
    const horizon = db.prepare('SELECT backfill_horizon FROM sync_state').pluck().get() as number;
    const cached = new Map(
      (db.prepare('SELECT refund_id, update_time FROM after_sales').all() as { refund_id: string; update_time: number }[]).map((r) => [
        r.refund_id,
        r.update_time,
      ]),
    );
    const missingDetails = db
      .prepare(
        'SELECT count(*) FROM after_sales WHERE handling_way IN (1, 3) AND status NOT IN (60, 70) AND (detail_version IS NULL OR detail_version < update_time)',
      )
      .pluck()
      .get();
    db.close();
    for (const a of worldAfterSales(sim).filter((x) => x.updateTime >= horizon))
      expect(cached.get(a.refundId), a.refundId).toBe(a.updateTime);
    expect(missingDetails).toBe(0);

    // Phase 2: queue uploads and confirms, then kill the drainer while writes are applied and left hanging.
    const toShip = sim.control.findAfterSales({ status: 30, handlingWay: 1, hasReturnWaybill: false, hasReturnFreight: false }, 10);
    const toConfirm = sim.control.findAfterSales({ status: 40, handlingWay: 1, hasReturnFreight: false }, 25);
    const queue = signedInTestCore({ dataDir, platform: FAST_PLATFORM });
    toShip.forEach((a, i) => {
      enqueueWaybillSubmit(queue.context, {
        refundId: a.refundId,
        expressNo: `ZT${String(7300000000000 + i)}`,
        expressCode: 5,
        operatorId: 'op',
      });
      enqueueConfirm(queue.context, { refundId: a.refundId, operatorId: 'op' });
    });
    for (const a of toConfirm) enqueueConfirm(queue.context, { refundId: a.refundId, operatorId: 'op' });
    await queue.close();
    const queued = toShip.length * 2 + toConfirm.length;
    sim.control.resetStats();
    sim.control.setFaults({ timeoutAfterWriteRate: 0.3, resetRate: 0.1, latencyMs: 20, hangMs: 400, seed: 'kill-faults' });

    for (let k = 0; k < KILLS_PER_PHASE; k += 1) {
      const run = await runChild(dataDir, 'drain', { ticks: 1 + Math.floor(random() * 6), ms: Math.floor(random() * 30) });
      if (run.killed) kills += 1;
      const state = inspect(dataDir);
      expect(state.integrity).toBe('ok');
      expect(state.outbox).toBe(queued);
      const perAction = countBy(sim.control.stats().writes, (w) => `${w.method}:${w.refundId}`);
      expect([...perAction.values()].every((n) => n === 1)).toBe(true);
    }
    sim.control.setFaults({});
    expect((await runChild(dataDir, 'drain', null)).out).toContain('drained');

    const final = inspect(dataDir);
    expect(final.integrity).toBe('ok');
    expect(final.states).toEqual([{ state: 'done', n: queued }]);
    const writes = sim.control.stats().writes;
    const perAction = countBy(writes, (w) => `${w.method}:${w.refundId}`);
    expect([...perAction.values()].every((n) => n === 1)).toBe(true);
    expect(writes.filter((w) => w.method === 'confirmReceipt')).toHaveLength(toShip.length + toConfirm.length);
    expect(writes.filter((w) => w.method === 'submitReturnInfo')).toHaveLength(toShip.length);
    expect(kills).toBeGreaterThanOrEqual(KILLS_PER_PHASE + 3);
    console.info(`[sync] kill test: ${kills} of ${KILLS_PER_PHASE * 2} runs SIGKILLed mid-work, ${queued} queued writes each applied once`);
  }, 180_000);
});
