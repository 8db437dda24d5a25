// The outbox across desks, as a part of the warehouse link: the desk's worker hands its due rows up (push), claims
// and sends shared rows under a lease (drain), and every desk follows the shared outbox into its own (down).
import { randomUUID } from 'node:crypto';
import type { Core } from '../../core/core';
import { applyDelegated, conflictBeforeSend, holdLocal, markDelegated, readyDelegated, releaseHeld } from '../../core/outbox/delegated';
import type { OutboxDelegate } from '../../core/outbox/runtime';
import { OUTBOX_NOTES } from '../../../common/contract/sync';
import { getRow, outboxCounts, type OutboxRow } from '../../core/outbox/store';
import { applyReplicatedOutbox } from '../../core/replica/outbox';
import type { FeedRow, FeedTable } from '../change-feed';
import { releaseOutbox, workUnderLease } from '../outbox';
import type { LinkEnv, LinkPart } from './link';
import { claimSendable, recordOutcome, type SharedClaim } from './outbox-claim';
import { envelopeSchema, sharedOutboxRowSchema, toDelegatedState, type SharedOutboxRow } from './outbox-envelope';
import { pushRow } from './outbox-push';

export interface OutboxPartOptions {
  /** A claim's lease (renewed every third of it while the platform call runs); a dead desk's rows wait this long. */
  leaseMs?: number;
  /** After the warehouse failed to answer: rows stay queued here this long before the next push. */
  holdMs?: number;
}

export const DEFAULT_OUTBOX_LEASE_MS = 30_000;
export const DEFAULT_OUTBOX_HOLD_MS = 5_000;

export class OutboxPart implements LinkPart {
  readonly name = 'outbox';
  readonly feeds: readonly FeedTable[] = ['outbox'];
  private env: LinkEnv | null = null;
  private owner = '';
  private readonly leaseMs: number;
  private readonly holdMs: number;
  /** Claims this desk holds, by outbox id; the follower leaves these rows alone until their outcome is recorded. */
  private readonly claims = new Map<string, SharedClaim>();
  private readonly running = new Set<Promise<void>>();
  private unreachableUntil = 0;
  /** How often the warehouse answering again (start, reconnect) released held rows and woke the worker (tests read it). */
  wakes = 0;
  /**
   * Shared rows this desk claimed but cannot send (it holds its own row of the same action, e.g. its conflict), by id,
   * until when it leaves them to the others. Given back at once: held back for a retry, another desk's claim of a
   * contended confirm waited 5 s (and a re-read) each time a desk that cannot send it took it.
   */
  private readonly cannotSend = new Map<string, number>();
  private readonly delegate: OutboxDelegate = {
    handOff: (row) => this.handOff(row),
    claim: (limit) => this.claim(limit),
    run: (row, send) => this.run(row, send),
  };

  constructor(
    private readonly core: Core,
    options: OutboxPartOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_OUTBOX_LEASE_MS;
    this.holdMs = options.holdMs ?? DEFAULT_OUTBOX_HOLD_MS;
    // Installed at once (the link is attached right after createCore, before the worker's first pass): in warehouse
    // mode nothing is sent without the warehouse, also while it has not been reached yet or after the link stopped.
    core.context.outbox.delegate = this.delegate;
  }

  start(env: LinkEnv): void {
    this.env = env;
    this.owner = `${env.deskId}/${process.pid}/${randomUUID().slice(0, 8)}`;
    // Rows queued while the warehouse was away (or before warehouse mode) go up now.
    this.reachable();
  }

  /** The warehouse answers again (start, or the link reconnected): held rows are pushed now, not at their next retry. */
  reachable(): void {
    if (!this.env) return;
    const ctx = this.core.context;
    this.unreachableUntil = 0;
    const released = releaseHeld(ctx.db, ctx.clock.now(), OUTBOX_NOTES.warehouse_held);
    if (released > 0) this.env.logger.info('warehouse outbox: the warehouse answers again; held rows go up now', { released });
    this.wakes += 1;
    ctx.outbox.wake();
  }

  async stop(): Promise<void> {
    this.env = null;
    // A send under way finishes and records its outcome (the pool closes after the parts).
    await Promise.all([...this.running]);
  }

  /** Down: the shared rows into the local outbox (idempotent), shown at once; a row due somewhere wakes the worker. */
  apply(table: FeedTable, rows: FeedRow[]): Promise<void> {
    if (table !== 'outbox' || !this.env) return Promise.resolve();
    const refundIds = new Set<string>();
    const others: SharedOutboxRow[] = [];
    let due = false;
    for (const raw of rows) {
      const parsed = sharedOutboxRowSchema.safeParse(raw);
      if (!parsed.success) {
        this.env.logger.warn('warehouse outbox: a row this desk cannot read was skipped', { seq: raw.seq, error: parsed.error.message });
        continue;
      }
      if (parsed.data.origin_desk_id !== this.env.deskId) others.push(parsed.data);
      // A row this desk is sending right now: its outcome is recorded first, then followed like any other.
      if (this.claims.has(parsed.data.outbox_id)) continue;
      if (this.mirror(parsed.data)) refundIds.add(parsed.data.after_sale_id);
      if (parsed.data.state === 'pending') due = true;
    }
    this.keepForStatistics(others);
    this.announce([...refundIds]);
    if (due) this.core.context.outbox.wake();
    return Promise.resolve();
  }

  /** Every other desk's row, whatever its shop, for the back office's statistics across desks. */
  private keepForStatistics(rows: SharedOutboxRow[]): void {
    if (rows.length === 0) return;
    try {
      applyReplicatedOutbox(
        this.core.context,
        rows.map((row) => ({
          outboxId: row.outbox_id,
          deskId: row.origin_desk_id,
          kind: row.action,
          refundId: row.after_sale_id,
          state: row.state,
          // The origin desk's own queueing time (the local outbox's created_at), as a mirrored row has it.
          createdAt: envelopeSchema.safeParse(row.payload).data?.createdAt ?? row.created_at,
        })),
      );
    } catch (error) {
      this.env?.logger.warn('warehouse outbox: rows for the statistics could not be kept', { error: String(error) });
    }
  }

  /** Applies one shared row locally; true when the desk's view changed. */
  private mirror(row: SharedOutboxRow): boolean {
    const localShopId = this.env?.shops.toLocal(row.shop_id);
    if (!localShopId) return false; // a shop this desk has not connected
    try {
      const outcome = applyDelegated(
        this.core.context.db,
        { ...toDelegatedState(row), shopId: localShopId },
        this.core.context.clock.now(),
      );
      return outcome === 'inserted' || outcome === 'updated';
    } catch (error) {
      this.env?.logger.warn('warehouse outbox: a row could not be applied', { outboxId: row.outbox_id, error: String(error) });
      return false;
    }
  }

  private announce(refundIds: string[]): void {
    if (refundIds.length === 0) return;
    const ctx = this.core.context;
    ctx.events.emit('outbox.changed', outboxCounts(ctx.db));
    ctx.events.emit('afterSales.changed', { refundIds });
  }

  /** Up: a due row made here goes to the shared outbox; refused there, it is a conflict; unreachable, it stays here. */
  private async handOff(row: OutboxRow): Promise<boolean> {
    const env = this.env;
    const ctx = this.core.context;
    // The demo shop (and a shop no longer here) is this desk's own world: its rows are sent from here as always.
    const shop = ctx.shops.get(row.shop_id);
    if (!shop || shop.isDemo) return false;
    const now = ctx.clock.now();
    // Not linked (the warehouse not reached since the start, or the link stopped): kept here.
    if (!env) return this.hold(row, now, now + this.holdMs);
    if (now < this.unreachableUntil) return this.hold(row, now, this.unreachableUntil);
    const shopId = env.shops.toWarehouse(row.shop_id)!;
    try {
      const pushed = await pushRow(env.pool, { ...row, shop_id: shopId }, env.deskId);
      if (pushed.outcome === 'conflict') {
        // The typed reason explains it to the operator; which desk and row, for whoever looks closer, go with the view.
        const other = { desk: pushed.existing.origin_desk_id, outboxId: pushed.existing.outbox_id, state: pushed.existing.state };
        conflictBeforeSend(
          ctx.db,
          row,
          ctx.clock.now(),
          null,
          { otherDesk: other, view: ctx.outbox.port.view(row.refund_id) },
          'other_desk',
        );
        env.logger.info('warehouse outbox: another desk has the same action; kept as a conflict here', {
          outboxId: row.id,
          other: pushed.existing.outbox_id,
          otherDesk: pushed.existing.origin_desk_id,
        });
      } else {
        markDelegated(ctx.db, row.id, ctx.clock.now());
        this.mirror(pushed.row);
      }
      this.announce([row.refund_id]);
      return true;
    } catch (error) {
      this.unreachableUntil = ctx.clock.now() + this.holdMs;
      env.logger.warn('warehouse outbox: push failed; rows stay queued at this desk', { error: String(error) });
      return this.hold(row, ctx.clock.now(), this.unreachableUntil);
    }
  }

  private hold(row: OutboxRow, now: number, until: number): boolean {
    const ctx = this.core.context;
    if (holdLocal(ctx.db, row.id, now, Math.max(now + 1, until), OUTBOX_NOTES.warehouse_held)) {
      ctx.events.emit('outbox.changed', outboxCounts(ctx.db));
    }
    return true;
  }

  /** Drain: shared rows due now, for shops this desk has, claimed under a lease and readied as local rows. */
  private async claim(limit: number): Promise<OutboxRow[]> {
    const env = this.env;
    const ctx = this.core.context;
    if (!env || ctx.clock.now() < this.unreachableUntil) return [];
    const shopIds = ctx.shops
      .list()
      .filter((shop) => shop.status === 'connected' && !shop.isDemo)
      .map((shop) => env.shops.toWarehouse(shop.id))
      .filter((id): id is string => id !== null);
    let claims: SharedClaim[];
    try {
      const now = ctx.clock.now();
      for (const [id, until] of this.cannotSend) if (until <= now) this.cannotSend.delete(id);
      const skip = [...this.cannotSend.keys()];
      claims = await claimSendable(env.pool, { owner: this.owner, deskId: env.deskId, shopIds, limit, leaseMs: this.leaseMs, skip });
    } catch (error) {
      this.unreachableUntil = ctx.clock.now() + this.holdMs;
      env.logger.warn('warehouse outbox: claim failed', { error: String(error) });
      return [];
    }
    const ready: OutboxRow[] = [];
    for (const claim of claims) {
      this.claims.set(claim.outboxId, claim);
      const local = this.ready(claim);
      if (local) {
        ready.push(local);
        continue;
      }
      this.claims.delete(claim.outboxId);
      this.cannotSend.set(claim.outboxId, ctx.clock.now() + this.holdMs);
      await releaseOutbox(env.pool, claim, { afterMs: 0, error: `desk ${env.deskId} cannot send it` }).catch(() => undefined);
    }
    return ready;
  }

  /** The claimed row as a local row due now; a re-read is owed when it was claimed before or may have been sent. */
  private ready(claim: SharedClaim): OutboxRow | null {
    const ctx = this.core.context;
    if (!this.mirror(claim.row) && !getRow(ctx.db, claim.outboxId)) return null;
    // Unsure whether it may have been sent: re-read first (the safe side costs one read).
    const recheck = claim.row.attempts > 1 || (envelopeSchema.safeParse(claim.row.payload).data?.recheck ?? true);
    return readyDelegated(ctx.db, claim.outboxId, ctx.clock.now(), recheck);
  }

  /** Sends one claimed row with the worker's discipline while renewing its lease, then records the outcome. */
  private run(row: OutboxRow, send: () => Promise<boolean>): Promise<void> {
    const env = this.env;
    const claim = this.claims.get(row.id);
    if (!env || !claim) return Promise.resolve();
    const running = (async () => {
      let sent = false;
      try {
        sent = await workUnderLease(env.pool, claim, this.leaseMs, () => send());
      } catch (error) {
        env.logger.warn('warehouse outbox: send failed', { outboxId: row.id, error: String(error) });
      }
      try {
        const local = sent ? getRow(this.core.context.db, row.id) : undefined;
        await recordOutcome(env.pool, claim, local, this.core.context.clock.now(), env.deskId);
      } catch (error) {
        // Lease lost (another desk took the row over; it re-reads before sending) or the warehouse went away.
        env.logger.warn('warehouse outbox: outcome not recorded', { outboxId: row.id, error: String(error) });
      }
    })().finally(() => {
      this.claims.delete(row.id);
      this.running.delete(running);
    });
    this.running.add(running);
    return running;
  }
}
