// The after-sales cache in PostgreSQL: guarded upserts of records with their scan keys (tombstoned when gone), and reading rows back.
import type pg from 'pg';
import { z } from 'zod';
import { isNewerRecord, replicaKeys, replicatedAfterSaleSchema, type ReplicatedAfterSale } from '../../core/replica/after-sales';
import { parseRows, int8Schema } from '../pool';

/** An after_sales row as the change feed hands it over; `record` is checked again as a replicated after-sale. */
export const afterSaleFeedRowSchema = z.object({
  shop_id: int8Schema,
  after_sale_id: int8Schema,
  record: replicatedAfterSaleSchema,
  seq: int8Schema,
});
export type AfterSaleFeedRow = z.infer<typeof afterSaleFeedRowSchema>;

const heldRow = z.object({ after_sale_id: int8Schema, record: replicatedAfterSaleSchema });
const writtenRow = z.object({ after_sale_id: int8Schema });
const keyRow = z.object({
  after_sale_id: int8Schema,
  key_kind: z.enum(['waybill', 'order', 'after_sale']),
  key: z.string(),
  removed: z.boolean(),
});

/**
 * Same order as isNewerRecord, in SQL: a newer platform update time, or the same one more complete (a current
 * detail counts 2, a fetched order 1). Guards the upsert against a concurrent writer between read and write.
 */
const rankOf = (r: string) =>
  `(CASE WHEN (${r}->>'detailVersion') IS NOT NULL AND (${r}->>'detailVersion')::bigint >= (${r}->>'updateTime')::bigint THEN 2 ELSE 0 END` +
  ` + CASE WHEN jsonb_typeof(${r}->'order') = 'object' THEN 1 ELSE 0 END)`;
const NEWER = `EXCLUDED.platform_updated_at_ms > after_sales.platform_updated_at_ms
  OR (EXCLUDED.platform_updated_at_ms = after_sales.platform_updated_at_ms AND ${rankOf('EXCLUDED.record')} > ${rankOf('after_sales.record')})`;

/** Makes sure the shop has its row (the rows of after_sales refer to it); the credentials are shared elsewhere. */
export async function ensureWarehouseShop(db: pg.ClientBase, shopId: string, name: string): Promise<void> {
  const known = await db.query('SELECT 1 FROM shops WHERE shop_id = $1', [shopId]);
  if (known.rowCount) return;
  // No credentials yet: an empty ciphertext under no key id says "not shared from any desk".
  await db.query(
    `INSERT INTO shops (shop_id, name, credentials_ciphertext, credentials_key_id) VALUES ($1, $2, '\\x'::bytea, '') ON CONFLICT (shop_id) DO NOTHING`,
    [shopId, name],
  );
}

/**
 * Writes the records of one shop that carry more than the warehouse holds, and their scan keys, inside the
 * caller's transaction. Records not newer are not written at all (no change-feed stamp, no wake-up for
 * nothing). Answers the after-sale ids actually written.
 */
export async function upsertAfterSales(db: pg.ClientBase, shopId: string, records: readonly ReplicatedAfterSale[]): Promise<string[]> {
  if (records.length === 0) return [];
  const ids = records.map((record) => record.refundId);
  const held = new Map(
    parseRows(
      heldRow,
      (await db.query('SELECT after_sale_id, record FROM after_sales WHERE shop_id = $1 AND after_sale_id = ANY($2)', [shopId, ids])).rows,
    ).map((row) => [row.after_sale_id, row.record]),
  );
  const newer = records.filter((record) => isNewerRecord(record, held.get(record.refundId) ?? null));
  if (newer.length === 0) return [];
  const params: unknown[] = [];
  const values = newer.map((record) => {
    const at = params.length;
    params.push(
      shopId,
      record.refundId,
      record.orderId,
      String(record.status),
      record.refundFee,
      record.returnWaybill?.expressNo ?? null,
      record.returnWaybill ? String(record.returnWaybill.expressCode) : null,
      record.updateTime,
      JSON.stringify({ ...record, shopId }),
    );
    return `(${Array.from({ length: 9 }, (_, i) => `$${at + i + 1}`).join(', ')})`;
  });
  const result = await db.query(
    `INSERT INTO after_sales (shop_id, after_sale_id, order_id, status, refund_fen, return_waybill, return_courier_code, platform_updated_at_ms, record)
     VALUES ${values.join(', ')}
     ON CONFLICT (shop_id, after_sale_id) DO UPDATE SET order_id = EXCLUDED.order_id, status = EXCLUDED.status,
       refund_fen = EXCLUDED.refund_fen, return_waybill = EXCLUDED.return_waybill, return_courier_code = EXCLUDED.return_courier_code,
       platform_updated_at_ms = EXCLUDED.platform_updated_at_ms, record = EXCLUDED.record, fetched_at = now()
     WHERE ${NEWER}
     RETURNING after_sale_id`,
    params,
  );
  const written = new Set(parseRows(writtenRow, result.rows).map((row) => row.after_sale_id));
  await writeKeys(
    db,
    shopId,
    newer.filter((record) => written.has(record.refundId)),
  );
  return [...written];
}

/** New keys are added (or revived), keys the record no longer has are marked removed: desks learn both. */
async function writeKeys(db: pg.ClientBase, shopId: string, records: readonly ReplicatedAfterSale[]): Promise<void> {
  if (records.length === 0) return;
  const ids = records.map((record) => record.refundId);
  const existing = parseRows(
    keyRow,
    (
      await db.query('SELECT after_sale_id, key_kind, key, removed FROM after_sale_index WHERE shop_id = $1 AND after_sale_id = ANY($2)', [
        shopId,
        ids,
      ])
    ).rows,
  );
  const live = new Set(existing.filter((row) => !row.removed).map((row) => `${row.after_sale_id}\n${row.key_kind}\n${row.key}`));
  const wanted = new Set<string>();
  const add: [string, string, string][] = [];
  for (const record of records) {
    for (const { kind, key } of replicaKeys(record)) {
      const name = `${record.refundId}\n${kind}\n${key}`;
      wanted.add(name);
      if (!live.has(name)) add.push([record.refundId, kind, key]);
    }
  }
  if (add.length > 0) {
    await db.query(
      `INSERT INTO after_sale_index (key_kind, key, shop_id, after_sale_id)
       SELECT kind, key, $3, after_sale_id FROM unnest($1::text[], $2::text[], $4::text[]) AS k (kind, key, after_sale_id)
       ON CONFLICT (key_kind, key, shop_id, after_sale_id) DO UPDATE SET removed = false WHERE after_sale_index.removed`,
      [add.map((k) => k[1]), add.map((k) => k[2]), shopId, add.map((k) => k[0])],
    );
  }
  const gone = existing.filter((row) => !row.removed && !wanted.has(`${row.after_sale_id}\n${row.key_kind}\n${row.key}`));
  if (gone.length > 0) {
    await db.query(
      `UPDATE after_sale_index i SET removed = true FROM unnest($1::text[], $2::text[], $4::text[]) AS g (kind, key, after_sale_id)
       WHERE i.key_kind = g.kind AND i.key = g.key AND i.shop_id = $3 AND i.after_sale_id = g.after_sale_id AND NOT i.removed`,
      [gone.map((row) => row.key_kind), gone.map((row) => row.key), shopId, gone.map((row) => row.after_sale_id)],
    );
  }
}

/**
 * The shop's pull position inside the caller's fenced transaction (the same row saveSyncCursor writes), so the
 * rows and the position they reach commit together.
 */
export async function writePullPosition(db: pg.ClientBase, shopId: string, epoch: string, position: unknown): Promise<void> {
  await db.query(
    `INSERT INTO sync_cursors (shop_id, cursor, leader_epoch) VALUES ($1, $2, $3)
     ON CONFLICT (shop_id) DO UPDATE SET cursor = EXCLUDED.cursor, leader_epoch = EXCLUDED.leader_epoch, updated_at = now()`,
    [shopId, JSON.stringify(position), epoch],
  );
}

/** Parses after_sales rows pulled from the feed (a row that does not parse fails the batch loudly). */
export function parseAfterSaleRows(rows: readonly unknown[]): AfterSaleFeedRow[] {
  return parseRows(afterSaleFeedRowSchema, rows);
}
