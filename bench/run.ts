// `npm run bench`: the table measured through the real paths, each against its baseline in the same run,
// with the machine it ran on. Reports, never gates. Usage:
//   nice -n 10 npx tsx bench/run.ts [--quick] [--size=100k] [--backfill=20000] [--rounds=8] [--no-renderer] [--keep]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../src/main/core/core';
import { setRelaxedFlushMs } from '../src/main/core/db/relaxed-commit';
import { backfillBench } from './backfill-bench';
import { writeRange, type DatasetOptions } from './dataset';
import { deskBench, DISPATCH, HIT, MISS, ok, RAW, READ } from './desk-bench';
import { ingestBench } from './ingest-bench';
import { fmtRatio, fmtUs, type Stats } from './measure';
import { rendererAvailable, rendererBench } from './renderer-bench';
import { connectSim, startSimProcess } from './sim-process';

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k!, v ?? 'true'] as const;
  }),
);
const quick = args.get('quick') === 'true';
function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!m) throw new Error(`bad size ${text}`);
  return Math.round(Number(m[1]) * (m[2]!.toLowerCase() === 'm' ? 1e6 : m[2]!.toLowerCase() === 'k' ? 1e3 : 1));
}
const size = parseSize(args.get('size') ?? (quick ? '10k' : '100k'));
const backfillSize = Number(args.get('backfill') ?? (quick ? 2_000 : 20_000));
const rounds = Number(args.get('rounds') ?? (quick ? 4 : 8));
const data: DatasetOptions = { perDay: 1000, now: Date.now(), seed: 20250601 };

const rows: string[] = [];
function row(measure: string, result: string, target: string, met: boolean | null): void {
  rows.push(`| ${measure} | ${result} | ${target} | ${met === null ? 'n/a' : met ? 'met' : '**missed**'} |`);
}
const ms = (us: number) => fmtUs(us);

function statsTable(title: string, stats: Map<string, Stats>): void {
  console.log(`\n### ${title}\n\n| case | samples | p50 | p99 |\n|---|---:|---:|---:|`);
  for (const s of stats.values()) console.log(`| ${s.name} | ${s.samples} | ${ms(s.medianUs)} | ${ms(s.p99Us)} |`);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'returndesk-bench-'));
  const core = createCore({ dataDir: dir, appVersion: 'bench', startServices: false });
  const { db } = core.context;
  const sqlite = db.prepare('SELECT sqlite_version()').pluck().get() as string;
  console.log(`# ReturnDesk benchmark${quick ? ' (--quick)' : ''}\n`);
  console.log(
    `${new Date().toISOString()} · ${os.cpus()[0]?.model ?? 'cpu?'} × ${os.cpus().length} · ${Math.round(os.totalmem() / 2 ** 30)} GB`,
  );
  console.log(
    `Node ${process.version} · SQLite ${sqlite} · load average at start ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
  await ok(core, 'operators.bootstrap', { name: 'Bench', pin: '1234' });

  const t0 = performance.now();
  writeRange(db, 0, size, data, (done) => done % 100_000 === 0 && process.stderr.write(`  built ${done}\n`));
  db.pragma('wal_checkpoint(TRUNCATE)');
  console.log(
    `cache: ${size.toLocaleString('en')} after-sales built through the sync write path in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  setRelaxedFlushMs(db, 250);

  // 1. Scans, idle and during a backfill of a connected shop; lists; search; app.info.
  const sim = await startSimProcess({ afterSales: backfillSize, seed: 'bench-desk' });
  const simShop = await connectSim(core, sim);
  const desk = await deskBench(core, size, simShop, rounds);
  await sim.stop();
  statsTable('scan.lookup, shop connected and idle', desk.idle);
  statsTable(
    `scan.lookup during the shop's 90-day backfill${desk.backfillFinished ? ' (it finished before the rounds did)' : ''}`,
    desk.backfill,
  );
  statsTable('lists, search, status bar', desk.lists);
  for (const [phase, stats] of [
    ['idle', desk.idle],
    ['during a backfill', desk.backfill],
  ] as const) {
    const hit = stats.get(HIT)!;
    const miss = stats.get(MISS)!;
    const raw = stats.get(RAW)!;
    const read = stats.get(READ)!;
    row(`miss vs hit, median (${phase})`, `${fmtRatio(miss.medianUs / hit.medianUs)}×`, '≤ 5×', miss.medianUs <= 5 * hit.medianUs);
    row(`miss p99 (${phase})`, ms(miss.p99Us), '≤ 50 ms', miss.p99Us <= 50_000);
    row(
      `hit p99 ÷ raw indexed query p99 (${phase}; p50s: ${fmtRatio(hit.medianUs / raw.medianUs)}×)`,
      `${fmtRatio(hit.p99Us / raw.p99Us)}×`,
      '≤ 5×',
      hit.p99Us <= 5 * raw.p99Us,
    );
    row(
      `read path p99 ÷ raw query p99 (${phase}; p50s: ${fmtRatio(read.medianUs / raw.medianUs)}×)`,
      `${fmtRatio(read.p99Us / raw.p99Us)}×`,
      '≤ 2×',
      read.p99Us <= 2 * raw.p99Us,
    );
  }
  const search = desk.lists.get('whole-cache search, 6-char waybill tail (100)')!;
  row(`whole-cache search p99, 6-char term, N=${size.toLocaleString('en')}`, ms(search.p99Us), '≤ 20 ms', search.p99Us <= 20_000);
  row('scan sent during a search, p99 (waits for it)', ms(desk.scanDuringSearch.p99Us), 'no wait', null);
  row('queue rows reachable', `${desk.queueReached} of ${desk.queueTotal}`, 'all', desk.queueReached === desk.queueTotal);
  const info = desk.lists.get('app.info')!;
  const dispatch = desk.lists.get(DISPATCH)!;
  row('app.info ÷ dispatch settings.get, median', `${fmtRatio(info.medianUs / dispatch.medianUs)}×`, 'no table counts', null);

  // 2. Ingest.
  const ingest = ingestBench(db, data, size, quick ? 20 : 60);
  console.log(`\n### ingest: batches of ${ingest.rowsPerBatch}\n\n| path | p50 | p99 |\n|---|---:|---:|`);
  for (const s of [ingest.sync, ingest.raw]) console.log(`| ${s.name} | ${ms(s.medianUs)} | ${ms(s.p99Us)} |`);
  const share = ingest.raw.medianUs / ingest.sync.medianUs;
  row('ingest: sync write path throughput ÷ raw INSERT', `${Math.round(share * 100)} %`, '≥ 50 %', share >= 0.5);

  // 3. Renderer.
  const why = args.get('no-renderer') === 'true' ? 'skipped (--no-renderer)' : rendererAvailable();
  if (why === null) {
    const second = await startSimProcess({ afterSales: quick ? 1_000 : 5_000, seed: 'bench-renderer' });
    const secondShop = await connectSim(core, second);
    const r = await rendererBench(core, secondShop, quick ? 3 : 8)
      .catch((error: unknown) => {
        row('renderer rows', `not measured: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, '', null);
        return null;
      })
      .finally(() => second.stop());
    if (r) {
      console.log(`\n### renderer (Chromium)\n\n| case | samples | p50 | max |\n|---|---:|---:|---:|`);
      for (const s of [r.idleFrame, r.openFrame])
        console.log(`| longest frame: ${s.name} | ${s.samples} | ${ms(s.medianUs)} | ${ms(s.p99Us)} |`);
      row(
        `queue opens (F2) at N=${size.toLocaleString('en')}: longest frame p50 (idle second: ${ms(r.idleFrame.medianUs)})`,
        ms(r.openFrame.medianUs),
        '≤ 50 ms',
        r.openFrame.medianUs <= 50_000,
      );
      row('queue rows reachable by scrolling', `${r.rowsShown} of ${r.rowsTotal}`, 'all', r.rowsShown === r.rowsTotal && r.rowsTotal > 0);
      row(
        `list requests while a ${quick ? '1k' : '5k'} backfill runs with the queue open`,
        `${r.syncListCalls} (${(r.syncListBytes / 1e6).toFixed(2)} MB in ${r.syncEventsSeconds.toFixed(0)} s)`,
        'incremental, throttled',
        null,
      );
    }
  } else {
    row('renderer rows', `not measured: ${why}`, '', null);
  }
  await core.close();

  // 4. Time to ready and API economy: a fresh core, first connect.
  const b = await backfillBench(backfillSize);
  const perAfterSale = Object.values(b.calls).reduce((x, y) => x + y, 0) / b.afterSales;
  console.log(`\n### backfill of ${b.afterSales.toLocaleString('en')} after-sales (${b.openReturns} open returns)\n`);
  console.log(
    `every open return cached after ${(b.readyMs / 1000).toFixed(1)} s, backfill done after ${(b.doneMs / 1000).toFixed(1)} s; calls ${JSON.stringify(b.calls)}`,
  );
  console.log(
    `naive client at the limit (modelled from this run's list calls: (lists + N) / 100 per s): ${(b.naiveReadyMs / 1000).toFixed(1)} s, ${b.naiveCalls} calls`,
  );
  row(
    'time until every open return is cached ÷ naive client at the limit',
    `${fmtRatio(b.readyMs / b.naiveReadyMs)}×`,
    '≤ 0.5×',
    b.readyMs <= 0.5 * b.naiveReadyMs,
  );
  row('platform calls per after-sale', perAfterSale.toFixed(2), '≤ 0.3', perAfterSale <= 0.3);

  console.log(`\n## Summary\n\n| measure | result | target | |\n|---|---|---|---|\n${rows.join('\n')}`);
  console.log(
    `\nload average at end ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  if (args.get('keep') === 'true') console.error(`kept ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
