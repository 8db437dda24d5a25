// audit.search across desks (warehouse mode): other desks' entries kept beside this desk's chain, read together by
// time and paged by cursor; this desk's own search, its chain and its ids are unchanged.
import { describe, expect, it } from 'vitest';
import { applyReplicatedAudit, type ReplicatedAudit } from '../../../src/main/core/replica/records';
import { signInAs, staffedDeskPerTest, T0, type DeskHarness } from './support';

let h: DeskHarness;
staffedDeskPerTest(async (harness) => {
  h = harness;
  await signInAs(h, 'Boss', '1234');
});

const other = (n: number, at: number, action = 'scan'): ReplicatedAudit => ({
  auditId: `0190a000-0000-7000-8000-00000000000${n}`,
  deskId: 'desk-b',
  deskEntryId: n,
  at,
  operatorId: null,
  operatorName: 'B staff',
  action,
  refundId: null,
  scannedCode: `SF${n}`,
  outcome: 'not_found',
  overriddenWarning: null,
  details: { n },
});

describe('audit.search across desks', () => {
  it('reads every desk’s entries newest first, pages them by cursor without loss or repeat, and leaves this desk’s chain alone', async () => {
    h.clock.set(T0 + 1_000);
    await h.ok('scan.lookup', { code: 'SF1000000000001' });
    h.clock.set(T0 + 3_000);
    await h.ok('scan.lookup', { code: 'SF1000000000002' });
    const own = (await h.ok('audit.search', { action: 'scan' })).entries;
    expect(own.map((e) => e.desk)).toEqual([undefined, undefined]);

    // Same millisecond as one of this desk's entries, one between, one after; a repeat is ignored.
    expect(applyReplicatedAudit(h.core.context, [other(1, T0 + 1_000), other(2, T0 + 2_000), other(3, T0 + 4_000)])).toBe(3);
    expect(applyReplicatedAudit(h.core.context, [other(3, T0 + 4_000)])).toBe(0);

    const all = (await h.ok('audit.search', { action: 'scan', allDesks: true })).entries;
    expect(all.map((e) => [e.desk ?? 'here', e.at - T0])).toEqual([
      ['desk-b', 4_000],
      ['here', 3_000],
      ['desk-b', 2_000],
      ['desk-b', 1_000],
      ['here', 1_000],
    ]);
    // An entry of another desk is shown by its id at that desk.
    expect(all[0]).toMatchObject({ id: 3, operatorName: 'B staff', scannedCode: 'SF3', details: { n: 3 } });

    const paged = [];
    let before: string | undefined;
    for (;;) {
      const page = await h.ok('audit.search', { action: 'scan', allDesks: true, limit: 2, ...(before ? { before } : {}) });
      paged.push(...page.entries);
      if (page.entries.length < 2) break;
      before = page.entries.at(-1)!.cursor;
    }
    expect(paged.map((e) => e.cursor)).toEqual(all.map((e) => e.cursor));
    expect((await h.ok('audit.search', { action: 'scan', allDesks: true, countTotal: true })).total).toBe(5);
    expect((await h.ok('audit.search', { action: 'scan', countTotal: true })).total).toBe(2);

    // This desk's own log and chain hold only its own entries.
    expect((await h.ok('audit.search', { action: 'scan' })).entries.map((e) => e.id)).toEqual(own.map((e) => e.id));
    expect((await h.ok('audit.verify', {})).now).toMatchObject({ ok: true });
    await h.fails('audit.search', { allDesks: true, before: 'not-a-cursor' }, 'invalid_input');
  });

  it('counts other desks’ scans in the statistics, from the same entries the audit shows', async () => {
    h.clock.set(T0 + 1_000);
    await h.ok('scan.lookup', { code: 'SF1000000000001' });
    applyReplicatedAudit(h.core.context, [other(1, T0 + 2_000), other(2, T0 + 2_500), other(3, T0 + 3_000, 'signIn')]);
    const stats = await h.ok('stats.summary', { from: T0, to: T0 + 10_000 });
    const audited = await h.ok('audit.search', { action: 'scan', allDesks: true, from: T0, to: T0 + 10_000 });
    expect(stats.scans).toBe(3);
    expect(stats.scans).toBe(audited.entries.length);
    expect(stats.outcomes).toEqual({ not_found: 3 });
    expect(stats.scansByOperator).toContainEqual({ label: 'B staff', count: 2 });
  });
});
