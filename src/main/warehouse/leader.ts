// One platform sync per shop: the desk holding the shop's advisory lock leads, fenced by an epoch in sync_leaders.
import type pg from 'pg';
import { z } from 'zod';
import { WarehouseError } from './errors';
import { inTransaction, parseRows } from './pool';

const epochRow = z.object({ epoch: z.string().regex(/^[0-9]+$/) });
const lockRow = z.object({ won: z.boolean() });

/** Session-level advisory lock key of a shop (class 2; class 1 is the change feed, 3 the migrations). */
const SHOP_LOCK = 'pg_try_advisory_lock(2, hashtext($1))';

/**
 * A won leadership. The lock lives in `client`'s session: when that connection dies the server releases it at
 * once, even if this process is still running. So every write the leader makes goes through fencedWrite()
 * with `epoch`, and a deposed leader's late write is refused.
 */
export class ShopLeadership {
  private lostReason: unknown = null;
  private readonly lostListeners: Array<(reason: unknown) => void> = [];

  constructor(
    private readonly client: pg.Client,
    readonly shopId: string,
    readonly deskId: string,
    readonly epoch: string,
  ) {
    const lose = (reason: unknown) => this.markLost(reason ?? new Error('the leadership connection ended'));
    client.on('error', lose);
    client.on('end', () => lose(null));
  }

  get lost(): boolean {
    return this.lostReason !== null;
  }

  onLost(listener: (reason: unknown) => void): void {
    if (this.lost) listener(this.lostReason);
    else this.lostListeners.push(listener);
  }

  /** Before each platform call batch: the lock's connection still answers and our epoch is still current. */
  async assertCurrent(): Promise<void> {
    if (!this.lost) {
      try {
        const result = await this.client.query('SELECT epoch FROM sync_leaders WHERE shop_id = $1', [this.shopId]);
        const current = parseRows(epochRow, result.rows)[0]?.epoch;
        if (current !== this.epoch) this.markLost(new Error(`epoch ${this.epoch} was replaced by ${current ?? 'nothing'}`));
      } catch (error) {
        this.markLost(error);
      }
    }
    if (this.lost) throw fencedOut(this.shopId, this.epoch, this.lostReason);
  }

  /** Gives leadership up (unlock and close); another desk can win it right away. */
  async release(): Promise<void> {
    if (!this.lost) await this.client.query('SELECT pg_advisory_unlock(2, hashtext($1))', [this.shopId]).catch(() => undefined);
    this.markLost(new Error('released'));
    await this.client.end().catch(() => undefined);
  }

  private markLost(reason: unknown): void {
    if (this.lost) return;
    this.lostReason = reason;
    for (const listener of this.lostListeners.splice(0)) listener(reason);
  }
}

/**
 * Tries to become the shop's leader on a fresh dedicated connection; null when another desk leads. Winning
 * increments the shop's epoch; that UPDATE waits for a deposed leader's fenced write still in flight, so the
 * new leader reads the sync cursor only after the old one's last write.
 */
export async function tryLead(connect: () => Promise<pg.Client>, shopId: string, deskId: string): Promise<ShopLeadership | null> {
  const client = await connect();
  try {
    const won = parseRows(lockRow, (await client.query(`SELECT ${SHOP_LOCK} AS won`, [shopId])).rows)[0]?.won;
    if (!won) {
      await client.end();
      return null;
    }
    const result = await client.query(
      `INSERT INTO sync_leaders (shop_id, epoch, holder) VALUES ($1, 1, $2)
       ON CONFLICT (shop_id) DO UPDATE SET epoch = sync_leaders.epoch + 1, holder = EXCLUDED.holder, since = now()
       RETURNING epoch`,
      [shopId, deskId],
    );
    return new ShopLeadership(client, shopId, deskId, parseRows(epochRow, result.rows)[0]!.epoch);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}

/**
 * Runs `work` in a transaction only while `epoch` is the shop's current one. The epoch row is share-locked
 * for the transaction, so a takeover cannot slip in between the check and the commit.
 */
export async function fencedWrite<T>(
  pool: pg.Pool,
  shopId: string,
  epoch: string,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  return inTransaction(pool, async (client) => {
    const result = await client.query('SELECT epoch FROM sync_leaders WHERE shop_id = $1 FOR SHARE', [shopId]);
    const current = parseRows(epochRow, result.rows)[0]?.epoch;
    if (current !== epoch) throw fencedOut(shopId, epoch, `current epoch is ${current ?? 'none'}`);
    return work(client);
  });
}

export const syncCursorRow = z.object({
  shop_id: z.string(),
  cursor: z.unknown(),
  leader_epoch: z.string().regex(/^[0-9]+$/),
});

/** The leader's progress through the platform's after-sales of a shop (fenced). */
export async function saveSyncCursor(pool: pg.Pool, shopId: string, epoch: string, cursor: unknown): Promise<void> {
  await fencedWrite(pool, shopId, epoch, (client) =>
    client.query(
      `INSERT INTO sync_cursors (shop_id, cursor, leader_epoch) VALUES ($1, $2, $3)
       ON CONFLICT (shop_id) DO UPDATE SET cursor = EXCLUDED.cursor, leader_epoch = EXCLUDED.leader_epoch, updated_at = now()`,
      [shopId, JSON.stringify(cursor), epoch],
    ),
  );
}

export async function readSyncCursor(pool: pg.Pool, shopId: string): Promise<z.infer<typeof syncCursorRow> | null> {
  const result = await pool.query('SELECT shop_id, cursor, leader_epoch FROM sync_cursors WHERE shop_id = $1', [shopId]);
  return parseRows(syncCursorRow, result.rows)[0] ?? null;
}

export interface LeaderElectorOptions {
  connect: () => Promise<pg.Client>;
  shopId: string;
  deskId: string;
  /** How often a follower tries the lock; takeover after a leader's death takes at most about this long. */
  retryMs?: number;
  onElected: (leadership: ShopLeadership) => void;
  onDeposed?: (reason: unknown) => void;
}

/** Keeps campaigning for a shop: tries the lock every retryMs, and again after losing it. */
export class LeaderElector {
  private timer: NodeJS.Timeout | null = null;
  private current: ShopLeadership | null = null;
  private stopped = true;

  constructor(private readonly options: LeaderElectorOptions) {}

  get leadership(): ShopLeadership | null {
    return this.current && !this.current.lost ? this.current : null;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.current?.release();
    this.current = null;
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.campaign();
    }, delayMs);
  }

  private async campaign(): Promise<void> {
    const retryMs = this.options.retryMs ?? 2_000;
    try {
      const won = await tryLead(this.options.connect, this.options.shopId, this.options.deskId);
      if (!won) return this.schedule(retryMs);
      if (this.stopped) return void (await won.release());
      this.current = won;
      won.onLost((reason) => {
        if (this.current === won) this.current = null;
        this.options.onDeposed?.(reason);
        this.schedule(retryMs);
      });
      this.options.onElected(won);
    } catch {
      // Warehouse unreachable: keep trying; the desk works from its SQLite meanwhile.
      this.schedule(retryMs);
    }
  }
}

function fencedOut(shopId: string, epoch: string, reason: unknown): WarehouseError {
  const why = reason instanceof Error ? reason.message : String(reason);
  return new WarehouseError('warehouse_fenced_out', `Desk is no longer the sync leader of shop ${shopId} (epoch ${epoch}): ${why}.`, {
    shopId,
    epoch,
  });
}
