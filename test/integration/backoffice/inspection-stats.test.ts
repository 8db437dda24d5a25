// Inspection results in the statistics: stats.summary counts the recorded inspections (latest per after-sale in the
// range), the same numbers inspection.stats gives the desk. (The export of these rows: test/unit/renderer.)
import { describe, expect, it } from 'vitest';
import type { InspectionResult } from '../../../src/common/contract/inspection';
import { staffedDeskPerTest, type DeskHarness } from '../../unit/desk/support';
import { seed } from '../desk/fixtures';

let h: DeskHarness;
staffedDeskPerTest((harness) => {
  h = harness;
});

async function inspect(refundId: string, result: InspectionResult): Promise<void> {
  await h.ok('inspection.record', { refundId, result, ...(result === 'other' ? { note: 'smells of smoke' } : {}) });
  h.clock.advance(1_000);
}

describe('inspection results in the statistics', () => {
  it('counts the latest result of each after-sale inspected in the range, passed and failed by reason', async () => {
    const before = seed(h, { status: 40 });
    await inspect(before, 'damaged'); // outside the range below
    h.clock.advance(60_000);
    const from = h.clock.now();
    const ids = Array.from({ length: 6 }, () => seed(h, { status: 40 }));
    await inspect(ids[0]!, 'passed');
    await inspect(ids[1]!, 'passed');
    await inspect(ids[2]!, 'empty');
    await inspect(ids[3]!, 'damaged');
    await inspect(ids[4]!, 'other');
    await inspect(ids[5]!, 'wrong_item');
    await inspect(ids[5]!, 'passed'); // re-inspected: only the latest counts
    const to = h.clock.now() + 1;

    const stats = await h.ok('stats.summary', { from, to });
    const recorded = h.core.context.db
      .prepare('SELECT refund_id, result FROM inspections WHERE created_at >= ? AND created_at < ? ORDER BY created_at, rowid')
      .all(from, to) as { refund_id: string; result: InspectionResult }[];
    const latest = new Map(recorded.map((r) => [r.refund_id, r.result]));
    const expected = (result: InspectionResult) => [...latest.values()].filter((r) => r === result).length;

    expect(stats.inspections).toEqual({
      total: latest.size,
      passed: expected('passed'),
      failed: latest.size - expected('passed'),
      byResult: {
        passed: expected('passed'),
        empty: expected('empty'),
        wrong_item: expected('wrong_item'),
        damaged: expected('damaged'),
        missing_parts: 0,
        used: 0,
        other: expected('other'),
      },
    });
    expect(stats.inspections).toMatchObject({ total: 6, passed: 3, failed: 3 });
    expect(stats.inspections.byResult.wrong_item).toBe(0);
    // The same numbers as inspection.stats gives the desk.
    const desk = await h.ok('inspection.stats', { from, to });
    expect(desk.counts).toEqual(stats.inspections.byResult);
  });
});
