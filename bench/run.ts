// Desk hot-path benchmark: scan.lookup and the desk queue list over caches of 10k/100k/1M after-sales, as ratios to in-process baselines.
// Usage: nice -n 10 npx tsx bench/run.ts [--sizes=10k,100k,1m] [--rounds=8] [--per-day=1000] [--keep]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dueDetails, dueOrders } from '../src/main/core/after-sales/store';
import { createCore, type Core } from '../src/main/core/core';
import { findByCode } from '../src/main/core/after-sales/lookup';
import { getAfterSale } from '../src/main/core/after-sales/views';
import { configureSync } from '../src/main/core/sync/runtime';
import { Rng } from '../src/main/sim/prng';
import { normalizeScan } from '../src/shared/waybill';
import { BENCH_SHOP, refundIdOf, writeRange, type DatasetOptions } from './dataset';
import { fmtRatio, fmtUs, measure, type Case, type Stats } from './measure';
import { CACHE_TABLES, distinctReads, explain, fullScans, oneLine, recordStatements } from './plans';

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!m) throw new Error(`bad size ${text}`);
  const unit = m[2]!.toLowerCase() === 'm' ? 1_000_000 : m[2]!.toLowerCase() === 'k' ? 1_000 : 1;
  return Math.round(Number(m[1]) * unit);
}

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k!, v ?? 'true'] as const;
  }),
);
const sizes = (args.get('sizes') ?? '10k,100k')
  .split(',')
  .map(parseSize)
  .sort((a, b) => a - b);
const rounds = Number(args.get('rounds') ?? 8);
const data: DatasetOptions = { perDay: Number(args.get('per-day') ?? 1000), now: Date.now(), seed: 20250601 };
const POOL = 4_000;
const BASE_PK = 'baseline: SELECT by primary key';
const BASE_DISPATCH = 'baseline: dispatch settings.get';

async function ok<T>(core: Core, method: string, input: unknown): Promise<T> {
  const answer = await core.dispatch(method, input, 'ipc');
  if (!answer.ok) throw new Error(`${method}: ${answer.error.code} ${answer.error.message}`);
  return answer.data as T;
}

function sample(core: Core, sql: string): string[] {
  return core.context.db.prepare(sql).pluck().all(POOL) as string[];
}

/** A cycling picker over a pool, so consecutive operations read different rows. */
const cycle =
  <T>(pool: T[]) =>
  (i: number): T =>
    pool[i % pool.length]!;

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'returndesk-bench-'));
  const core = createCore({ dataDir: dir, appVersion: 'bench', startServices: false });
  const { db } = core.context;
  const recorder = recordStatements(db);
  recorder.active(false);
  // A miss then measures only local work: the targeted refresh finds no shop to call.
  configureSync(core.context, { shopIds: () => [] });
  await ok(core, 'operators.bootstrap', { name: 'Bench', pin: '1234' });

  const sqlite = db.prepare('SELECT sqlite_version()').pluck().get() as string;
  console.log(`# ReturnDesk desk benchmark\n`);
  console.log(
    `${new Date().toISOString()} · ${os.cpus()[0]?.model ?? 'cpu?'} × ${os.cpus().length} · Node ${process.version} · SQLite ${sqlite}`,
  );
  console.log(
    `load average at start: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} · data dir ${dir}\n`,
  );

  const pk = db.prepare('SELECT * FROM after_sales WHERE refund_id = ?');
  // What one durable write costs here (WAL, synchronous = FULL): every scan commits its record and audit entry.
  db.exec('CREATE TABLE IF NOT EXISTS bench_commit (id INTEGER PRIMARY KEY, at INTEGER NOT NULL) STRICT');
  const commit = db.prepare('INSERT INTO bench_commit (at) VALUES (?)');
  const results: { n: number; phases: Map<string, Stats>[] }[] = [];
  const plans = new Map<string, Map<string, string>>();
  let built = 0;
  for (const n of sizes) {
    const t0 = Date.now();
    writeRange(db, built, n, data, (done) => {
      if (done % 100_000 === 0) process.stderr.write(`  built ${done}\n`);
    });
    db.pragma('wal_checkpoint(TRUNCATE)');
    const buildMs = Date.now() - t0;
    built = n;

    const returnCodes = sample(
      core,
      'SELECT return_express_no FROM after_sales WHERE return_express_no IS NOT NULL ORDER BY random() LIMIT ?',
    );
    const outboundCodes = sample(
      core,
      `SELECT w.express_no FROM order_waybills w WHERE NOT EXISTS (SELECT 1 FROM after_sales a WHERE a.return_waybill_norm = w.normalized)
       ORDER BY random() LIMIT ?`,
    );
    const rng = new Rng(n, 99);
    const refundIds = Array.from({ length: POOL }, () => refundIdOf(rng.int(0, n - 1)));
    const missLetters = Array.from({ length: POOL }, () => `SF9${rng.digits(12)}`);
    const missDigits = Array.from({ length: POOL }, () => `4${rng.digits(14)}`);
    const queueCodes = sample(
      core,
      `SELECT return_express_no FROM after_sales WHERE handling_way = 1 AND status IN (22, 40) AND return_express_no IS NOT NULL ORDER BY random() LIMIT ?`,
    );
    // What an operator types into the queue's search box: the tail of a waybill, or a colour.
    const fragments = queueCodes.map((c) => c.slice(-6));
    const scan = (pick: (i: number) => string) => (i: number) => ok(core, 'scan.lookup', { code: pick(i), source: 'scanner' });
    const list = (filter: Record<string, unknown>) => () => ok(core, 'afterSales.list', { filter, limit: 500 });

    const baselines: Case[] = [
      { name: BASE_PK, run: (i) => pk.get(refundIds[i % POOL]) },
      { name: BASE_DISPATCH, run: () => ok(core, 'settings.get', {}) },
      { name: 'baseline: one committed INSERT', run: (i) => db.transaction(() => commit.run(i))() },
    ];
    const lookupCases: Case[] = [
      ...baselines,
      { name: 'scan.lookup return waybill hit', run: scan(cycle(returnCodes)) },
      { name: 'scan.lookup outbound waybill hit', run: scan(cycle(outboundCodes)) },
      { name: 'scan.lookup refund id hit', run: scan(cycle(refundIds)) },
      { name: 'scan.lookup miss (SF shape)', run: scan(cycle(missLetters)) },
      { name: 'scan.lookup miss (15 digits)', run: scan(cycle(missDigits)) },
      {
        name: 'read path only: findByCode + getAfterSale (return waybill)',
        run: (i) => {
          const norm = normalizeScan(returnCodes[i % returnCodes.length]!);
          const found = norm.ok ? findByCode(core.context, norm.value) : null;
          return found?.refundIds.map((id) => getAfterSale(core.context, id));
        },
      },
    ];
    const listCases: Case[] = [
      ...baselines,
      { name: 'afterSales.list queue, no text', run: list({ deskQueue: true }) },
      { name: 'afterSales.list queue + waybill tail', run: (i) => list({ deskQueue: true, text: fragments[i % fragments.length] })() },
      { name: 'afterSales.list queue + "黑色"', run: list({ deskQueue: true, text: '黑色' }) },
      { name: 'afterSales.list whole cache + waybill tail', run: (i) => list({ text: fragments[i % fragments.length] })() },
      { name: 'sync pass: dueDetails + dueOrders', run: () => [dueDetails(db, BENCH_SHOP, 100), dueOrders(db, BENCH_SHOP, 100)] },
    ];

    // Plans of everything one call of each kind runs (recorded, then explained).
    recorder.active(true);
    for (const c of [...lookupCases, ...listCases].filter((c) => !c.name.startsWith('baseline'))) {
      recorder.take();
      await c.run(1);
      const byCase = plans.get(c.name) ?? new Map<string, string>();
      plans.set(c.name, byCase);
      for (const e of distinctReads(recorder.take())) {
        const plan = explain(db, e);
        const line = `${fullScans(plan, CACHE_TABLES).length > 0 ? '**FULL SCAN** ' : ''}${plan.map((p) => p.detail).join(' · ')}`;
        const sql = oneLine(e.sql);
        const before = byCase.get(sql);
        if (before !== undefined && before !== line) console.log(`(plan of \`${sql.slice(0, 80)}\` changed at N=${n}: ${line})`);
        byCase.set(sql, line);
      }
    }
    recorder.active(false);

    const lookupStats = await measure(lookupCases, rounds, 25);
    const listStats = await measure(listCases, Math.max(3, Math.floor(rounds / 2)), 3);
    const queue = await ok<{ total: number }>(core, 'afterSales.list', { filter: { deskQueue: true }, limit: 1 });
    const colour = await ok<{ total: number }>(core, 'afterSales.list', { filter: { deskQueue: true, text: '黑色' }, limit: 1 });
    results.push({ n, phases: [lookupStats, listStats] });
    console.log(`\n## N = ${n.toLocaleString('en')} after-sales\n`);
    console.log(`built in ${(buildMs / 1000).toFixed(1)} s · desk queue ${queue.total} · queue matching "黑色" ${colour.total}`);
    report('scan.lookup', lookupStats);
    report('lists (limit 500) and the sync pass queries', listStats);
  }

  console.log(`\n## Ratio to "dispatch settings.get" by N (flat = independent of cache size)\n`);
  console.log(`| case | ${results.map((r) => `N=${r.n.toLocaleString('en')}`).join(' | ')} |`);
  console.log(`|---|${results.map(() => '---:').join('|')}|`);
  for (const phase of [0, 1]) {
    for (const name of results[0]!.phases[phase]!.keys()) {
      if (name === BASE_DISPATCH) continue;
      const cells = results.map((r) => fmtRatio(r.phases[phase]!.get(name)!.medianUs / r.phases[phase]!.get(BASE_DISPATCH)!.medianUs));
      console.log(`| ${phase === 1 && name.startsWith('baseline') ? `${name} (list rounds)` : name} | ${cells.join(' | ')} |`);
    }
  }

  console.log(`\n## Query plans (EXPLAIN QUERY PLAN of every read one call runs)\n`);
  for (const [name, byCase] of plans) {
    console.log(`### ${name}\n`);
    for (const [sql, line] of byCase) console.log(`- \`${sql.slice(0, 150)}\`\n  ${line}`);
    console.log('');
  }
  console.log(
    `load average at end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  recorder.stop();
  await core.close();
  if (args.get('keep') === 'true') console.error(`kept ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}

/** One phase's table; ratios are to the baselines measured in the same interleaved rounds. */
function report(title: string, stats: Map<string, Stats>): void {
  const base = stats.get(BASE_DISPATCH)!.medianUs;
  const pkUs = stats.get(BASE_PK)!.medianUs;
  console.log(`\n### ${title}\n`);
  console.log(`| case | samples | median | p95 | ÷ dispatch | ÷ PK select |`);
  console.log(`|---|---:|---:|---:|---:|---:|`);
  for (const s of stats.values()) {
    console.log(
      `| ${s.name} | ${s.samples} | ${fmtUs(s.medianUs)} | ${fmtUs(s.p95Us)} | ${fmtRatio(s.medianUs / base)} | ${fmtRatio(s.medianUs / pkUs)} |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
