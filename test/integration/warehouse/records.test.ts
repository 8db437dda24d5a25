// Desk records shared through the warehouse: every desk's audit in one verified chain, scans and unmatched parcels
// across desks, pushing exactly once after being offline, and the back office at one desk counting every desk's scans.
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { createCore } from '../../../src/main/core/core';
import type { MethodInput, MethodName, MethodOutput } from '../../../src/common/contract/methods';
import { verifyAuditChain } from '../../../src/main/warehouse/audit';
import { forTarget } from '../../../src/main/warehouse/link/start';
import type { WarehouseLink } from '../../../src/main/warehouse/link/link';
import type { RecordsPart } from '../../../src/main/warehouse/link/records';
import { ensureSignedIn, tempDir } from '../../support/core';
import { desksPerTest, FAST_LINK, until, type TestDesk } from './support/desks';
import { startTestWarehouse, type TestWarehouse } from './support/pg-server';
import { pullFinished } from './support/after-sales';

async function call<M extends MethodName>(core: Core, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = (await core.dispatch(method, input, 'http')) as { ok: boolean; data?: unknown; error?: { code: string } };
  if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
  return result.data as MethodOutput<M>;
}

const recordsOf = (link: WarehouseLink) => link.part<RecordsPart>('records')!;
const localCount = (core: Core, table: string, where = '1') =>
  core.context.db.prepare(`SELECT count(*) FROM ${table} WHERE ${where}`).pluck().get() as number;
const fast = { link: { ...FAST_LINK, parts: undefined } };

describe('desk records across three desks', () => {
  const startCluster = desksPerTest();

  it('holds every desk’s audit in one verified chain, shares unmatched parcels and counts every desk’s scans at any desk', async () => {
    const cluster = await startCluster({ desks: 3, shops: [{ afterSales: 40 }], ...fast });
    const [a, b, c] = cluster.desks as [TestDesk, TestDesk, TestDesk];
    await Promise.all(cluster.desks.map((desk) => desk.link.whenLinked()));
    await until(
      'every desk holds the shop’s after-sales',
      () =>
        cluster.desks.some((desk) => pullFinished(desk, 0)) &&
        cluster.desks.every((desk) => localCount(desk.core, 'after_sales', `shop_id = '${desk.shopIds[0]}'`) === 40),
      30_000,
    );
    const db = a.core.context.db;
    // Returns shipped back (ready to confirm) first, so every desk has something to confirm.
    const refundIds = db
      .prepare('SELECT refund_id FROM after_sales ORDER BY (handling_way = 1 AND status = 40) DESC, refund_id')
      .pluck()
      .all() as string[];
    // An unmatched parcel registered at A (its code is the return waybill of an after-sale nobody scanned yet).
    const parcelCode = db
      .prepare('SELECT return_express_no FROM after_sales WHERE return_express_no IS NOT NULL ORDER BY refund_id DESC LIMIT 1')
      .pluck()
      .get() as string;
    expect(parcelCode).toBeTruthy();
    const parcel = await call(a.core, 'parcels.registerUnmatched', { code: parcelCode, note: 'label torn' });
    const parcelMs = await until(
      'B knows the parcel A registered',
      () => localCount(b.core, 'unmatched_parcels', `id = '${parcel.id}'`) === 1,
    );
    expect((await call(b.core, 'parcels.registerUnmatched', { code: parcelCode, note: '' })).id).toBe(parcel.id);

    // Each desk scans its own parcels and confirms what is ready.
    for (const [index, desk] of [a, b, c].entries()) {
      for (const code of refundIds.slice(index * 2, index * 2 + 2)) {
        const scanned = await call(desk.core, 'scan.lookup', { code, source: 'scanner' });
        if (scanned.outcome === 'ready') {
          const claimed = scanned.afterSale!.returnFreight !== null;
          await call(desk.core, 'receipts.confirm', {
            refundId: scanned.afterSale!.refundId,
            scanId: scanned.scanId,
            overrideInsuranceWarning: true,
            ...(claimed ? { returnFreight: { advice: 'agree' as const } } : {}),
          });
        }
      }
    }
    // A scan at B finds the after-sale of A's parcel and resolves it; A learns the resolution.
    const found = await call(b.core, 'scan.lookup', { code: parcelCode, source: 'scanner' });
    expect(found.afterSale).not.toBeNull();
    await until(
      'A sees its parcel resolved by B',
      () => localCount(a.core, 'unmatched_parcels', `id = '${parcel.id}' AND resolved_refund_id = '${found.afterSale!.refundId}'`) === 1,
    );

    // An inspection at A is the after-sale's latest inspection at C too (the confirm warning reads it there).
    const inspected = refundIds[refundIds.length - 1]!;
    await call(a.core, 'inspection.record', { refundId: inspected, result: 'damaged', note: 'box crushed' });
    const inspectionMs = await until('C knows A’s inspection', () => localCount(c.core, 'inspections', `refund_id = '${inspected}'`) === 1);
    console.info(
      `[warehouse] records: a parcel registered at A known at B after ${parcelMs} ms; an inspection at A known at C after ${inspectionMs} ms`,
    );
    expect((await call(c.core, 'inspection.ofAfterSale', { refundId: inspected })).latest).toMatchObject({
      result: 'damaged',
      note: 'box crushed',
    });

    const pool = cluster.warehouse.pool();
    const ownAudit = (desk: TestDesk) => localCount(desk.core, 'audit_log');
    await until('the warehouse holds every desk’s whole audit', async () => {
      for (const desk of [a, b, c]) {
        const held = await pool.query('SELECT count(*)::int AS n FROM audit_log WHERE desk_id = $1', [desk.link.deskId]);
        if ((held.rows[0] as { n: number }).n !== ownAudit(desk)) return false;
      }
      return true;
    });
    expect(await verifyAuditChain(pool)).toEqual({ ok: true, entries: ownAudit(a) + ownAudit(b) + ownAudit(c) });
    const confirms = await pool.query(`SELECT count(DISTINCT desk_id)::int AS n FROM audit_log WHERE action = 'receipt.confirm'`);
    expect((confirms.rows[0] as { n: number }).n).toBeGreaterThanOrEqual(1);
    const scans = await pool.query('SELECT desk_id, count(*)::int AS n FROM scans GROUP BY desk_id');
    expect(Object.fromEntries(scans.rows.map((row: { desk_id: string; n: number }) => [row.desk_id, row.n]))).toEqual({
      [a.link.deskId]: localCount(a.core, 'desk_scans'),
      [b.link.deskId]: localCount(b.core, 'desk_scans'),
      [c.link.deskId]: localCount(c.core, 'desk_scans'),
    });
    const inspections = await pool.query('SELECT desk_id, after_sale_id, result FROM inspections');
    expect(inspections.rows).toEqual([{ desk_id: a.link.deskId, after_sale_id: inspected, result: 'damaged' }]);
    const parcels = await pool.query('SELECT desk_id, resolved_after_sale_id FROM unmatched_parcels');
    expect(parcels.rows).toEqual([{ desk_id: a.link.deskId, resolved_after_sale_id: found.afterSale!.refundId }]);

    // The back office at C: the scans of all three desks, agreeing with the audit they come from.
    const scanEntries =
      localCount(a.core, 'audit_log', "action = 'scan'") +
      localCount(b.core, 'audit_log', "action = 'scan'") +
      localCount(c.core, 'audit_log', "action = 'scan'");
    expect(scanEntries).toBe(7);
    await until('C holds the other desks’ audit', () => localCount(c.core, 'all_desks_audit', "action = 'scan'") === scanEntries);
    const stats = await call(c.core, 'stats.summary', { from: 0, to: Date.now() + 60_000 });
    expect(stats.scans).toBe(scanEntries);
    expect(stats.scansByShop.reduce((sum, row) => sum + row.count, 0)).toBe(scanEntries);
    // C's own chain is still only C's entries and still verifies.
    expect((await call(c.core, 'audit.verify', {})).now).toMatchObject({ ok: true, checked: ownAudit(c) });
    await pool.end();
  });
});

describe('a desk writing while the warehouse is away', () => {
  let warehouse: TestWarehouse | null = null;
  const cores: Core[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.close().catch(() => undefined);
    await warehouse?.stop();
    warehouse = null;
  });

  const open = (dataDir: string): { core: Core; link: WarehouseLink } => {
    const mode = forTarget(warehouse!.target, FAST_LINK);
    const core = createCore({ dataDir, appVersion: 'test', startServices: false, syncGate: mode.gate });
    ensureSignedIn(core);
    cores.push(core);
    return { core, link: mode.attach(core) };
  };
  const held = async (pool: { query: (sql: string, values: unknown[]) => Promise<{ rows: unknown[] }> }, table: string, deskId: string) =>
    ((await pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE desk_id = $1`, [deskId])).rows[0] as { n: number }).n;

  it('keeps writing while the warehouse is down or the link not started, and pushes each record exactly once when back', async () => {
    warehouse = await startTestWarehouse();
    const pool = warehouse.pool();
    const dataDir = tempDir('returndesk-offline-');

    // Link not started: the desk works alone first.
    const alone = createCore({ dataDir, appVersion: 'test', startServices: false });
    ensureSignedIn(alone);
    for (let n = 0; n < 3; n += 1) await call(alone, 'scan.lookup', { code: `SF10000000010${n}`, source: 'scanner' });
    await call(alone, 'parcels.registerUnmatched', { code: 'SF1000000000999', note: 'offline' });
    await alone.close();

    let { core, link } = open(dataDir);
    await link.whenLinked();
    await until('the offline records are up', () => recordsOf(link).idle);
    expect(await held(pool, 'scans', link.deskId)).toBe(3);
    expect(await held(pool, 'unmatched_parcels', link.deskId)).toBe(1);

    // The warehouse stops at once; the desk keeps scanning from its SQLite.
    await warehouse.crash();
    for (let n = 0; n < 4; n += 1) await call(core, 'scan.lookup', { code: `YT20000000020${n}`, source: 'scanner' });
    expect(localCount(core, 'desk_scans')).toBe(7);
    await warehouse.restart();
    await until('the records written meanwhile are up', () => recordsOf(link).idle, 30_000);
    expect(await held(pool, 'scans', link.deskId)).toBe(7);

    // A restart of the desk pushes nothing again.
    await core.close();
    ({ core, link } = open(dataDir));
    await link.whenLinked();
    await until('idle after the restart', () => recordsOf(link).idle);
    expect(recordsOf(link).counters.pushed).toEqual({
      audit_log: 0,
      desk_scans: 0,
      unmatched_parcels: 0,
      inspections: 0,
      evidence_links: 0,
    });
    expect(await held(pool, 'scans', link.deskId)).toBe(7);
    expect(await held(pool, 'audit_log', link.deskId)).toBe(localCount(core, 'audit_log'));
    expect(await verifyAuditChain(pool)).toMatchObject({ ok: true, entries: localCount(core, 'audit_log') });
    await pool.end();
  });
});
