// The desk records shared through the warehouse: this desk's audit, scans, unmatched parcels, inspections and
// evidence metadata go up from a journal position per table (so what was written offline goes up once the
// warehouse is back); other desks' audit entries, unmatched parcels and inspections come down into this desk's SQLite.
import type { Core } from '../../core/core';
import { wakeableSleep } from '../../core/kernel/sleep';
import {
  applyReplicatedAudit,
  applyReplicatedInspections,
  applyReplicatedParcels,
  journalRows,
  JOURNAL_TABLES,
  parcelResolutionsSince,
  type JournalTable,
} from '../../core/replica/records';
import { replicaPosition, saveReplicaPosition } from '../../core/replica/state';
import type { FeedRow, FeedTable } from '../change-feed';
import { inTransaction } from '../pool';
import type { LinkEnv, LinkPart } from './link';
import { auditFromFeed, inspectionsFromFeed, parcelsFromFeed, pushJournal, pushResolutions, type JournalContext } from './records-store';

export interface RecordsPartOptions {
  /** How often the journal is looked at without a core event (records written by background work). */
  pushIntervalMs?: number;
  /** Rows per table per round trip. */
  batchSize?: number;
  /** Wait before pushing again after the warehouse refused or did not answer. */
  retryMs?: number;
  /** How long a closing desk tries to push what is waiting. */
  drainMs?: number;
}

export interface RecordsCounters {
  /** Rows this desk wrote into the warehouse that it did not hold yet, per local table. */
  pushed: Record<JournalTable, number>;
  /** Other desks' audit entries kept here. */
  auditApplied: number;
  /** Parcels registered or resolved at other desks taken in here. */
  parcelsApplied: number;
  /** Other desks' inspection results kept here. */
  inspectionsApplied: number;
}

/** The journal position of a local table (its last rowid that reached the warehouse). */
const journalKey = (table: JournalTable) => `push.${table}`;
const RESOLVED_KEY = 'push.unmatched_parcels.resolved_at';

export class RecordsPart implements LinkPart {
  readonly name = 'records';
  readonly feeds: readonly FeedTable[] = ['audit_log', 'unmatched_parcels', 'inspections'];
  readonly counters: RecordsCounters = {
    pushed: { audit_log: 0, desk_scans: 0, unmatched_parcels: 0, inspections: 0, evidence_links: 0 },
    auditApplied: 0,
    parcelsApplied: 0,
    inspectionsApplied: 0,
  };
  private env: LinkEnv | null = null;
  private pumping: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: () => void = () => undefined;
  private readonly pause = wakeableSleep();
  /** Parcels whose resolution went up at the resolution position's millisecond (see pushAll). */
  private readonly resolvedAtPosition = new Set<string>();

  constructor(
    private readonly core: Core,
    private readonly options: RecordsPartOptions = {},
  ) {}

  start(env: LinkEnv): void {
    this.env = env;
    // Any desk event may come with a record (a scan, a confirm, a sign-in); reading the journal is cheap.
    this.unsubscribe = this.core.events.subscribe(() => this.kick());
    // Not every record comes with an event (registering a parcel does not): the journal is cheap to look at.
    this.timer = setInterval(() => this.kick(), this.options.pushIntervalMs ?? 500);
    this.kick();
  }

  /** Everything written here so far has reached the warehouse. */
  get idle(): boolean {
    return !this.pumping && this.backlog() === 0;
  }

  /** Local rows not yet in the warehouse (tests and the drain read it). */
  backlog(): number {
    let waiting = 0;
    for (const table of JOURNAL_TABLES) waiting += journalRows(this.core.context, table, this.position(table), 1_000).length;
    return waiting;
  }

  /** Pushes what is waiting (bounded: the warehouse may be gone). */
  async drain(): Promise<void> {
    const deadline = Date.now() + (this.options.drainMs ?? 5_000);
    while (Date.now() < deadline && !this.idle) {
      this.kick();
      await Promise.race([this.pumping, new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())))]);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    if (this.timer) clearInterval(this.timer);
    this.pause.wake();
    await this.pumping;
  }

  async apply(table: FeedTable, rows: FeedRow[]): Promise<void> {
    const env = this.env;
    if (!env) return;
    if (table === 'audit_log') {
      // This desk's own entries are in its own chain already.
      const others = rows.map(auditFromFeed).filter((entry) => entry.deskId !== env.deskId);
      if (others.length > 0) this.counters.auditApplied += applyReplicatedAudit(this.core.context, others);
    } else if (table === 'unmatched_parcels') {
      this.counters.parcelsApplied += applyReplicatedParcels(this.core.context, parcelsFromFeed(rows, env.deskId));
    } else if (table === 'inspections') {
      this.counters.inspectionsApplied += applyReplicatedInspections(this.core.context, inspectionsFromFeed(rows, env.deskId));
    }
  }

  private position(table: JournalTable): number {
    return Number(replicaPosition(this.core.context, journalKey(table)));
  }

  kick(): void {
    if (this.stopped || !this.env) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.kick();
      }
    });
  }

  private async pump(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.pushAll();
        return;
      } catch (error) {
        this.env?.logger.warn('warehouse: pushing desk records failed; retrying', { error: String(error) });
        await this.pause.sleep(this.options.retryMs ?? 1_000);
      }
    }
  }

  /** Each table in its own transactions, oldest rows first; the position moves only after the warehouse committed. */
  private async pushAll(): Promise<void> {
    const env = this.env!;
    const ctx = this.core.context;
    const at: JournalContext = {
      deskId: env.deskId,
      warehouseShop: (localShopId) => {
        if (typeof localShopId !== 'string') return null;
        const shop = ctx.shops.get(localShopId);
        return shop && !shop.isDemo ? env.shops.toWarehouse(localShopId) : null;
      },
    };
    const limit = this.options.batchSize ?? 500;
    for (const table of JOURNAL_TABLES) {
      for (;;) {
        if (this.stopped) return;
        const rows = journalRows(ctx, table, this.position(table), limit);
        if (rows.length === 0) break;
        this.counters.pushed[table] += await inTransaction(env.pool, (client) => pushJournal(client, table, rows, at));
        saveReplicaPosition(ctx, journalKey(table), String(rows[rows.length - 1]!.journal_rowid));
        if (rows.length < limit) break;
      }
    }
    // Resolutions change rows already up: followed by the time they were made, from the last one pushed (its
    // millisecond again: a resolution in the same millisecond may come later; pushing one twice is harmless).
    for (;;) {
      if (this.stopped) return;
      const since = Number(replicaPosition(ctx, RESOLVED_KEY));
      const page = parcelResolutionsSince(ctx, since, limit);
      // The position's own millisecond is read again each time; what went up from it already is passed over.
      const rows = page.filter((row) => row.resolved_at !== since || !this.resolvedAtPosition.has(row.id));
      if (rows.length === 0) break;
      await inTransaction(env.pool, (client) => pushResolutions(client, rows, at));
      const last = rows[rows.length - 1]!.resolved_at;
      // A full page of one millisecond cannot move the position otherwise.
      const next = page.length === limit && last === since ? last + 1 : last;
      if (next !== since) this.resolvedAtPosition.clear();
      for (const row of rows) if (row.resolved_at === next) this.resolvedAtPosition.add(row.id);
      saveReplicaPosition(ctx, RESOLVED_KEY, String(next));
      if (page.length < limit) break;
    }
  }
}

/** The part for the link's default list. */
export function recordsPart(core: Core, options?: RecordsPartOptions): RecordsPart {
  return new RecordsPart(core, options);
}
