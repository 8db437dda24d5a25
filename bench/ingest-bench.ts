// Ingest: the sync's write path (a list page, then its details and orders as one batch) against a raw prepared
// INSERT of the same rows into a table with the same definition, each batch its own FULL commit, interleaved.
import type Database from 'better-sqlite3';
import { generate, writePage, type DatasetOptions, type Generated } from './dataset';
import { summarize, type Stats } from './measure';

export interface IngestResult {
  sync: Stats;
  raw: Stats;
  rowsPerBatch: number;
}

/** after_sales's own CREATE TABLE under another name, without its indexes and triggers: the floor of a write. */
function rawTable(db: Database.Database): Database.Statement {
  const sql = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'after_sales'`).pluck().get() as string;
  db.exec('DROP TABLE IF EXISTS bench_raw');
  db.exec(sql.replace(/CREATE TABLE after_sales/, 'CREATE TABLE bench_raw'));
  const columns = (db.prepare(`SELECT name FROM pragma_table_info('bench_raw')`).pluck().all() as string[]).filter(
    (c) => c !== 'local_state',
  );
  return db.prepare(`INSERT INTO bench_raw (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
}

function rawValues(r: Generated, now: number): unknown[] {
  const s = r.summary;
  const d = r.detail;
  const w = d?.returnWaybill ?? null;
  return [
    ...[s.refundId, 'bench-shop', s.orderId, s.itemId, s.skuId, s.skuNick, s.handlingWay, s.status, s.negotiateStatus, s.refundType],
    ...[s.receiptStatus, s.refundFee, s.refundReason, s.refundReasonDesc, s.refundDesc, s.submitTime, s.createTime, s.updateTime],
    ...[
      s.negotiateUpdateTime,
      s.endTime,
      s.expireTime,
      s.logisticsId,
      d ? s.updateTime : null,
      w?.expressNo ?? null,
      w?.expressCode ?? null,
    ],
    ...[w?.expressNo ?? null, d?.returnFreight ? JSON.stringify(d.returnFreight) : null, d?.buyerOpenId ?? null, null, null, null, now],
  ];
}

/** Batches of 100 after-sales (a list page): `batches` of each kind, alternating, starting past the cache's rows. */
export function ingestBench(db: Database.Database, options: DatasetOptions, firstIndex: number, batches: number): IngestResult {
  const insert = rawTable(db);
  const syncUs: number[] = [];
  const rawUs: number[] = [];
  let next = firstIndex;
  for (let b = 0; b < batches; b += 1) {
    const rows = Array.from({ length: 100 }, () => generate(next++, options));
    let start = process.hrtime.bigint();
    writePage(db, rows, options.now);
    syncUs.push(Number(process.hrtime.bigint() - start) / 1000);
    start = process.hrtime.bigint();
    db.transaction(() => {
      for (const r of rows) insert.run(...rawValues(r, options.now));
    })();
    rawUs.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  db.exec('DROP TABLE bench_raw');
  return { sync: summarize('sync write path (page + batch)', syncUs), raw: summarize('raw INSERT', rawUs), rowsPerBatch: 100 };
}
