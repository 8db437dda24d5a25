// Helpers of the warehouse acceptance tests: parcels waiting at the desks, scanning and confirming them as a desk
// does (through the core's dispatch), the platform's confirm writes and read calls, each desk's view compared.
import { expect } from 'vitest';
import type { Envelope, MethodInput, MethodName, MethodOutput } from '../../../../src/common/contract';
import type { Core } from '../../../../src/main/core/core';
import { getAfterSale } from '../../../../src/main/core/after-sales/views';
import { getRow } from '../../../../src/main/core/outbox/store';
import { startSimulator, type RunningSimulator } from '../../../../src/main/sim';
import { until, type TestDesk } from './desks';

export const CONFIRM_API = 'open.seller.order.refund.confirm.receipt';

/** A parcel back at the warehouse: the buyer shipped it (status 40), its waybill is what the desk scans. */
export interface Parcel {
  shopIndex: number;
  refundId: string;
  expressNo: string;
}

/** Two shops of the same seeds and sizes, each with `parcels` returns shipped back (same waybills every time). */
export async function stormShops(tag: string, parcels: number): Promise<{ sims: RunningSimulator[]; parcels: Parcel[] }> {
  const sims = [
    await startSimulator({ port: 0, seed: `${tag}-a`, afterSales: 150, qpsPerApi: 10_000 }),
    await startSimulator({ port: 0, seed: `${tag}-b`, afterSales: 100, qpsPerApi: 10_000 }),
  ];
  return { sims, parcels: addParcels(sims, parcels, 0) };
}

/** Adds `count` shipped returns per shop, their waybills numbered from `from` (unique per shop and number). */
export function addParcels(sims: readonly RunningSimulator[], count: number, from: number): Parcel[] {
  const out: Parcel[] = [];
  sims.forEach((sim, shopIndex) => {
    for (let n = from; n < from + count; n += 1) {
      const expressNo = `SF14${shopIndex + 1}${String(n).padStart(10, '0')}`;
      const added = sim.control.addAfterSale({
        status: 40,
        handlingWay: 1,
        freightInsurance: false,
        returnWaybill: { expressNo, expressCode: 4 },
      });
      out.push({ shopIndex, refundId: added.refundId, expressNo });
    }
  });
  return out;
}

export async function call<M extends MethodName>(core: Core, method: M, input: MethodInput<M>): Promise<Envelope<MethodOutput<M>>> {
  return (await core.dispatch(method, input, 'http')) as Envelope<MethodOutput<M>>;
}

export async function ok<M extends MethodName>(core: Core, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const answer = await call(core, method, input);
  if (!answer.ok) throw new Error(`${method}: ${answer.error.code} ${answer.error.message} ${JSON.stringify(answer.error.details)}`);
  return answer.data;
}

/** What the desk does with a parcel in hand: scan its waybill, see it ready, confirm receipt with that scan. */
export async function scanAndConfirm(core: Core, parcel: Parcel): Promise<{ outboxId: string; outcome: string }> {
  const scanned = await ok(core, 'scan.lookup', { code: parcel.expressNo, source: 'scanner' });
  if (scanned.outcome !== 'ready' && scanned.outcome !== 'already_received') {
    throw new Error(`scan of ${parcel.expressNo} (${parcel.refundId}): ${scanned.outcome}`);
  }
  const confirmed = await ok(core, 'receipts.confirm', { refundId: parcel.refundId, scanId: scanned.scanId });
  return { outboxId: confirmed.outboxId, outcome: scanned.outcome };
}

/** Confirm writes the platform applied, per after-sale. */
export function confirmWrites(sims: readonly RunningSimulator[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const sim of sims) {
    for (const write of sim.control.stats().writes) {
      if (write.method === 'confirmReceipt') counts.set(write.refundId, (counts.get(write.refundId) ?? 0) + 1);
    }
  }
  return counts;
}

/** Every call the platform answered except confirms (the only write here) and OAuth token calls, summed over the shops, by method. */
export function readCalls(sims: readonly RunningSimulator[]): { total: number; byMethod: Record<string, number> } {
  const byMethod: Record<string, number> = {};
  let total = 0;
  for (const sim of sims) {
    for (const [method, count] of Object.entries(sim.control.stats().calls)) {
      if (method === CONFIRM_API || method.startsWith('oauth2.')) continue;
      byMethod[method] = (byMethod[method] ?? 0) + count;
      total += count;
    }
  }
  return { total, byMethod };
}

/** The desk's view of an after-sale: the platform status and the desk's own state of it. */
export function viewAt(desk: Pick<TestDesk, 'core'>, refundId: string): { status: number; local: string } | null {
  const view = getAfterSale(desk.core.context, refundId);
  return view ? { status: view.status, local: view.local.state } : null;
}

/** The state of an outbox row in the desk's own queue (the desk's or one it follows), or undefined. */
export function queueStateAt(desk: Pick<TestDesk, 'core'>, outboxId: string): string | undefined {
  return getRow(desk.core.context.db, outboxId)?.state;
}

/** Conflicts with reason `other_desk` in a desk's queue for one after-sale. */
export function otherDeskConflicts(desk: Pick<TestDesk, 'core'>, refundId: string): number {
  return desk.core.context.db
    .prepare("SELECT count(*) FROM outbox WHERE refund_id = ? AND conflict_reason = 'other_desk'")
    .pluck()
    .get(refundId) as number;
}

/**
 * Where the desks stand on one parcel, given the shared outbox's done row for it (the winner): agreed when every desk
 * finished the winner or holds its own explained other_desk conflict (SQLite keeps one row per action), and every desk
 * shows one status, confirmed or in conflict. The views and the winner's queue states explain a disagreement.
 */
export function deskAgreement(
  desks: readonly Pick<TestDesk, 'core'>[],
  refundId: string,
  winner: string | undefined,
): { agreed: boolean; views: ReturnType<typeof viewAt>[]; queues: string[] } {
  const views = desks.map((desk) => viewAt(desk, refundId));
  const agreed =
    winner !== undefined &&
    desks.every((desk) => queueStateAt(desk, winner) === 'done' || otherDeskConflicts(desk, refundId) === 1) &&
    views.every((view) => view !== null && view.status === views[0]!.status && ['confirmed', 'conflict'].includes(view.local));
  const queues = winner ? desks.map((desk) => queueStateAt(desk, winner) ?? '-') : [];
  return { agreed, views, queues };
}

/** The platform applied `count` after-sales' confirms, each once, and took not one confirm call more; returns the calls. */
export function expectEachConfirmedOnce(sims: readonly RunningSimulator[], count: number): number {
  const writes = confirmWrites(sims);
  expect(writes.size).toBe(count);
  expect([...writes.values()].every((applied) => applied === 1)).toBe(true);
  const confirmCalls = sims.reduce((sum, sim) => sum + (sim.control.stats().calls[CONFIRM_API] ?? 0), 0);
  expect(confirmCalls).toBe(count);
  return confirmCalls;
}

/** The same status of an after-sale at every desk: received (50), or refunded (60: the simulator settles a confirm after a while). */
export function expectOneSettledStatus(desks: readonly Pick<TestDesk, 'core'>[], refundId: string): void {
  const statuses = new Set(desks.map((desk) => viewAt(desk, refundId)?.status));
  expect(statuses.size).toBe(1);
  expect([50, 60]).toContain([...statuses][0]);
}

/**
 * Waits until every desk shows every parcel confirmed or holds its own explained conflict (`lagging` lists what still
 * differs); on time-out the error lists those differences.
 */
export async function untilAllAgree(lagging: () => Promise<string[]>, timeoutMs: number): Promise<void> {
  try {
    await until(
      'every desk shows every parcel confirmed, or holds its own explained conflict',
      async () => (await lagging()).length === 0,
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${(await lagging()).join('\n')}`);
  }
}
