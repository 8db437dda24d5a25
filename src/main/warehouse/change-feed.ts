// Desks pull every shared table by its change sequence (`seq > last`); NOTIFY only wakes them up.
import type pg from 'pg';
import { z } from 'zod';
import { GENERATION_NOTICE, readWarehouseIdentity, renewGenerationIfRestored } from './identity';
import { parseRows, int8Schema } from './pool';

/** The shared tables on the change feed (migration 1's stamp; one sequence each). */
export const FEED_TABLES = [
  'shops',
  'roles',
  'operators',
  'settings',
  'after_sales',
  'after_sale_index',
  'scans',
  'unmatched_parcels',
  'inspections',
  'inspection_evidence',
  'outbox',
  'audit_log',
] as const;
export type FeedTable = (typeof FEED_TABLES)[number];

export const FEED_CHANNEL = 'warehouse_change';

/** Every feed row has its seq (int8, read as a decimal string); the rest is checked by the table's own schema. */
export const feedRowSchema = z.object({ seq: int8Schema }).passthrough();
export type FeedRow = z.infer<typeof feedRowSchema>;

const sequenceRow = z.object({ last_value: int8Schema, is_called: z.boolean() });

export function isFeedTable(value: string): value is FeedTable {
  return (FEED_TABLES as readonly string[]).includes(value);
}

/**
 * The next rows of `table` after position `after`, in seq order. Safe to store `last` afterwards: the stamp
 * makes commit order equal seq order per table, so no lower seq can become visible later.
 */
export async function pullChanges<S extends z.ZodType<FeedRow>>(
  db: pg.Pool | pg.ClientBase,
  table: FeedTable,
  after: string,
  options: { limit?: number; schema?: S } = {},
): Promise<{ rows: z.infer<S>[]; last: string }> {
  if (!isFeedTable(table)) throw new Error(`not a feed table: ${String(table)}`);
  int8Schema.parse(after);
  const limit = options.limit ?? 500;
  const result = await db.query(`SELECT * FROM ${table} WHERE seq > $1 ORDER BY seq LIMIT $2`, [after, limit]);
  const rows = parseRows(options.schema ?? feedRowSchema, result.rows) as z.infer<S>[];
  return { rows, last: rows.length === 0 ? after : rows[rows.length - 1]!.seq };
}

/** Where this desk stands in each table's feed (its SQLite, in the desk). */
export interface FeedPositions {
  load(table: FeedTable): Promise<string>;
  save(table: FeedTable, seq: string): Promise<void>;
  /**
   * The feed generation the positions belong to, kept beside them (optional: without it the follower remembers
   * the generation in memory only, so a restore is still noticed on a reconnect, but not across a desk restart).
   */
  loadGeneration?(): Promise<string | null>;
  saveGeneration?(generation: string): Promise<void>;
}

/** Applies pulled rows to the desk's replica; must be idempotent (a crash between apply and save repeats a batch). */
export type ApplyChanges = (table: FeedTable, rows: FeedRow[]) => Promise<void>;

export interface ChangeFeedFollowerOptions {
  pool: pg.Pool;
  /** A dedicated connection for LISTEN (a pooled one would be handed to others). */
  connectListener: () => Promise<pg.Client>;
  tables?: readonly FeedTable[];
  positions: FeedPositions;
  apply: ApplyChanges;
  batchSize?: number;
  reconnectDelayMs?: number;
  /**
   * 'rewound' (detail: the table) means the table is pulled again from 0: its stored position was ahead of the
   * database, or the database's feed generation changed (a backup was restored).
   */
  onStatus?: (status: 'following' | 'disconnected' | 'rewound', detail?: unknown) => void;
}

/**
 * Keeps a desk's replica following the warehouse. On every (re)connect it first LISTENs, then pulls each
 * table from the stored position (notifications sent while it was away are lost, the rows are not); after
 * that a notification triggers a pull of the table named in it.
 */
export class ChangeFeedFollower {
  private readonly options: Required<Omit<ChangeFeedFollowerOptions, 'onStatus'>> & Pick<ChangeFeedFollowerOptions, 'onStatus'>;
  private listener: pg.Client | null = null;
  private work: Promise<void> = Promise.resolve();
  private readonly queued = new Set<FeedTable>();
  private reconnectTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** The generation seen last, for positions that do not store it. */
  private generation: string | null = null;

  constructor(options: ChangeFeedFollowerOptions) {
    this.options = { tables: FEED_TABLES, batchSize: 500, reconnectDelayMs: 1_000, ...options };
  }

  /** Connects and catches up once; if the warehouse is unreachable it keeps retrying in the background. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
    await this.work.catch(() => undefined);
  }

  /** Pulls the given tables until nothing is left (after a desk wrote, or in tests). */
  catchUp(tables: readonly FeedTable[] = this.options.tables): Promise<void> {
    for (const table of tables) this.queued.add(table);
    // A failed pull does not block later ones; its caller sees the failure.
    this.work = this.work.catch(() => undefined).then(() => this.drainQueue());
    return this.work;
  }

  private async connect(): Promise<void> {
    try {
      const listener = await this.options.connectListener();
      if (this.stopped) {
        await listener.end();
        return;
      }
      this.listener = listener;
      listener.on('notification', (message) => {
        // A new generation while connected (restored without a restart): reconnect, which resets the positions.
        if (message.channel === FEED_CHANNEL && message.payload === GENERATION_NOTICE) return this.lost(listener);
        if (
          message.channel === FEED_CHANNEL &&
          message.payload &&
          isFeedTable(message.payload) &&
          this.options.tables.includes(message.payload)
        ) {
          // A pull that fails means the link is in trouble: reconnect, which catches every table up.
          void this.catchUp([message.payload]).catch((error: unknown) => this.lost(listener, error));
        }
      });
      const lost = (error?: unknown) => this.lost(listener, error);
      listener.on('error', lost);
      listener.on('end', () => lost());
      await listener.query(`LISTEN ${FEED_CHANNEL}`);
      // In the work chain: a pull still running from before must not save its position after the reset.
      const reset = this.work
        .catch(() => undefined)
        .then(async () => {
          await this.resetForNewGeneration();
          await this.resetRewoundPositions();
        });
      this.work = reset;
      await reset;
      await this.catchUp();
      this.options.onStatus?.('following');
    } catch (error) {
      this.lost(this.listener, error);
    }
  }

  private lost(listener: pg.Client | null, error?: unknown): void {
    if (this.stopped || (listener !== null && listener !== this.listener)) return;
    this.listener = null;
    void listener?.end().catch(() => undefined);
    this.options.onStatus?.('disconnected', error);
    if (!this.reconnectTimer) {
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = null;
        if (!this.stopped) void this.connect();
      }, this.options.reconnectDelayMs);
    }
  }

  /**
   * After a restore the sequences hand out values this desk has passed, and after enough writing they pass its
   * positions too, so comparing with the sequences no longer notices. The generation does: a different one
   * resets every followed table to 0. It is saved after the positions, so a crash in between resets again.
   * A database without a generation (migrated before version 5) or a first sight of it changes nothing.
   */
  private async resetForNewGeneration(): Promise<void> {
    if ((await readWarehouseIdentity(this.options.pool)) === null) return;
    // A restore into another cluster or database, or a point-in-time recovery, is noticed without the manager.
    // Read after it: another desk may have renewed the generation while this one waited on the row.
    await renewGenerationIfRestored(this.options.pool);
    const identity = await readWarehouseIdentity(this.options.pool);
    if (identity === null) return;
    const { positions } = this.options;
    const known = positions.loadGeneration ? await positions.loadGeneration() : this.generation;
    if (known !== null && known !== identity.generation) {
      for (const table of this.options.tables) {
        if ((await positions.load(table)) === '0') continue;
        await positions.save(table, '0');
        this.options.onStatus?.('rewound', table);
      }
    }
    if (known !== identity.generation) await positions.saveGeneration?.(identity.generation);
    this.generation = identity.generation;
  }

  /**
   * A database restored from a backup (or one that lost its last commits) hands out seq values this desk has
   * already passed; pulling `seq > last` would skip them silently. A position beyond the table's sequence is
   * therefore reset to 0 (applying is idempotent, so pulling again costs time, never correctness).
   */
  private async resetRewoundPositions(): Promise<void> {
    for (const table of this.options.tables) {
      const position = await this.options.positions.load(table);
      if (position === '0') continue;
      const result = await this.options.pool.query(`SELECT last_value, is_called FROM ${table}_change_seq`);
      const row = sequenceRow.parse(result.rows[0]);
      const handedOut = row.is_called ? BigInt(row.last_value) : BigInt(row.last_value) - 1n;
      if (BigInt(position) > handedOut) {
        await this.options.positions.save(table, '0');
        this.options.onStatus?.('rewound', table);
      }
    }
  }

  private async drainQueue(): Promise<void> {
    while (this.queued.size > 0) {
      const table = this.queued.values().next().value as FeedTable;
      this.queued.delete(table);
      for (;;) {
        const after = await this.options.positions.load(table);
        const { rows, last } = await pullChanges(this.options.pool, table, after, { limit: this.options.batchSize });
        if (rows.length === 0) break;
        await this.options.apply(table, rows);
        await this.options.positions.save(table, last);
        if (rows.length < this.options.batchSize) break;
      }
    }
  }
}
