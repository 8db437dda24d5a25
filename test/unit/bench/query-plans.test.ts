// The desk's hot paths read through indexes: EXPLAIN QUERY PLAN of every statement scan.lookup and the queue list run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { configureSync } from '../../../src/main/core/sync/runtime';
import { refundIdOf, writeRange } from '../../../bench/dataset';
import { CACHE_TABLES, distinctReads, explain, fullScans, oneLine, recordStatements } from '../../../bench/plans';
import { testCore } from '../../support/core';

const N = 400;
let core: Core;
let recorder: ReturnType<typeof recordStatements>;

async function ok<T>(method: string, input: unknown): Promise<T> {
  const answer = await core.dispatch(method, input, 'http');
  if (!answer.ok) throw new Error(`${method}: ${answer.error.code} ${answer.error.message}`);
  return answer.data as T;
}

/** Runs one call and answers the full scans in the plans of every read it made (empty when all are index searches). */
async function scansOf(method: string, input: unknown): Promise<{ result: unknown; reads: number; scans: string[] }> {
  recorder.take();
  const result = await ok(method, input);
  const reads = distinctReads(recorder.take());
  const scans = reads.flatMap((e) => fullScans(explain(core.context.db, e), CACHE_TABLES).map((s) => `${s} in ${oneLine(e.sql)}`));
  return { result, reads: reads.length, scans };
}

function pick(sql: string): string {
  const value = core.context.db.prepare(sql).pluck().get() as string | undefined;
  if (value === undefined) throw new Error(`no row for ${sql}`);
  return value;
}

beforeAll(async () => {
  core = testCore();
  // Installed before any store prepares its statements, so every statement is seen.
  recorder = recordStatements(core.context.db);
  configureSync(core.context, { shopIds: () => [] });
  writeRange(core.context.db, 0, N, { perDay: 100, now: Date.now(), seed: 7 });
  await ok('operators.bootstrap', { name: 'Plan', pin: '1234' });
});

afterAll(async () => {
  recorder.stop();
  await core.close();
});

describe('scan.lookup reads only through indexes', () => {
  const cases: [string, () => string, string | null][] = [
    [
      'return waybill',
      () => pick(`SELECT return_express_no FROM after_sales WHERE return_express_no IS NOT NULL LIMIT 1`),
      'return_waybill',
    ],
    [
      'outbound waybill',
      () =>
        pick(
          `SELECT w.express_no FROM order_waybills w WHERE NOT EXISTS (SELECT 1 FROM after_sales a WHERE a.return_waybill_norm = w.normalized) LIMIT 1`,
        ),
      'outbound_waybill',
    ],
    ['refund id', () => refundIdOf(17), 'refund_id'],
    ['order id', () => pick(`SELECT order_id FROM after_sales LIMIT 1 OFFSET 30`), 'order_id'],
    ['miss, letters', () => 'SF9000000000001', null],
    ['miss, 15 digits (tries every id index too)', () => '400000000000001', null],
  ];
  for (const [name, code, matchedBy] of cases) {
    it(name, async () => {
      const { result, reads, scans } = await scansOf('scan.lookup', { code: code(), source: 'scanner' });
      // The call took the path this case is about.
      expect((result as { matchedBy: string | null }).matchedBy).toBe(matchedBy);
      expect(reads).toBeGreaterThan(2);
      expect(scans).toEqual([]);
    });
  }
});

describe('the desk queue list reads only through indexes', () => {
  for (const text of [undefined, '黑色', '123456', refundIdOf(3)]) {
    it(`deskQueue with text ${String(text)}`, async () => {
      const { result, scans } = await scansOf('afterSales.list', { filter: { deskQueue: true, ...(text ? { text } : {}) }, limit: 50 });
      expect((result as { total: number }).total).toBeGreaterThanOrEqual(0);
      expect(scans).toEqual([]);
    });
  }
});

describe('the checker itself', () => {
  it('sees the full scan a lookup would make without its index', async () => {
    const code = pick(`SELECT return_express_no FROM after_sales WHERE return_express_no IS NOT NULL LIMIT 1 OFFSET 3`);
    core.context.db.exec('DROP INDEX after_sales_return_waybill');
    try {
      const { scans } = await scansOf('scan.lookup', { code, source: 'scanner' });
      expect(scans.some((s) => s.startsWith('SCAN after_sales'))).toBe(true);
    } finally {
      core.context.db.exec(
        'CREATE INDEX after_sales_return_waybill ON after_sales (return_waybill_norm) WHERE return_waybill_norm IS NOT NULL',
      );
    }
  });

  it('sees the walk of the whole cache an unfiltered list makes (known: its total counts every row), not a queue walk', async () => {
    const { scans } = await scansOf('afterSales.list', { filter: {}, limit: 50 });
    expect(scans.some((s) => s.startsWith('SCAN a USING COVERING INDEX'))).toBe(true);
    const plan = [
      { id: 1, parent: 0, detail: 'SCAN a USING INDEX after_sales_recent' },
      { id: 2, parent: 0, detail: 'SCAN a USING INDEX after_sales_queue' },
      { id: 3, parent: 0, detail: 'SCAN a' },
    ];
    expect(fullScans(plan, CACHE_TABLES)).toEqual(['SCAN a USING INDEX after_sales_recent', 'SCAN a']);
  });
});

describe('whole-cache text search (FTS5 trigram, migration 0009)', () => {
  const terms: [string, () => string][] = [
    ['part of an item title', () => pick(`SELECT substr(item_title, 2, 4) FROM orders WHERE length(item_title) > 6 LIMIT 1 OFFSET 5`)],
    ['a waybill tail', () => pick(`SELECT substr(return_waybill_norm, -6) FROM after_sales WHERE return_waybill_norm IS NOT NULL LIMIT 1`)],
    ['a refund id', () => refundIdOf(5)],
    ['nothing', () => 'ZZZ-not-there'],
  ];
  for (const [name, term] of terms) {
    it(`finds ${name} through the search index, exactly as a substring scan would`, async () => {
      const text = term();
      const { result, scans } = await scansOf('afterSales.list', { filter: { text }, limit: 50 });
      expect(scans).toEqual([]);
      const like = core.context.db
        .prepare(
          `SELECT count(*) FROM after_sales a LEFT JOIN orders o ON o.order_id = a.order_id
           WHERE a.refund_id LIKE @l OR a.order_id LIKE @l OR a.return_waybill_norm LIKE @l OR a.local_waybill_norm LIKE @l
             OR a.sku_nick LIKE @l OR o.item_title LIKE @l`,
        )
        .pluck()
        .get({ l: `%${text}%` }) as number;
      // The index answers exactly what the substring scan answers.
      expect((result as { total: number }).total).toBe(like);
      if (name !== 'nothing') expect(like).toBeGreaterThan(0);
    });
  }

  it('a 1–2 character term is searched in the desk queue only, and says so', async () => {
    const { result, scans } = await scansOf('afterSales.list', { filter: { text: '黑' }, limit: 50 });
    expect(scans).toEqual([]);
    expect(result).toMatchObject({ textLimitedToQueue: true });
  });
});
