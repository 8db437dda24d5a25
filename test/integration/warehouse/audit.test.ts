// The shared audit is append-only and hash-chained across desks writing at once; tampering is detected.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditChain } from '../../../src/main/warehouse/audit';
import { uuidv7 } from '../../../src/main/warehouse/uuid7';
import { startTestWarehouse, type TestWarehouse } from './support/pg-server';

let warehouse: TestWarehouse;
let pool: pg.Pool;
beforeAll(async () => {
  warehouse = await startTestWarehouse();
  pool = warehouse.pool({ maxConnections: 6 });
});
afterAll(async () => warehouse?.stop());

describe('warehouse audit', () => {
  it('chains entries from three desks appending concurrently, and a repeated push adds nothing', async () => {
    const entries = await Promise.all(
      ['desk-a', 'desk-b', 'desk-c'].flatMap((deskId) =>
        Array.from({ length: 15 }, (_, index) =>
          appendAudit(pool, {
            atMs: Date.now(),
            deskId,
            operatorName: '张三',
            action: 'outbox.confirm',
            shopId: '9001',
            target: String(index),
            details: { note: 'line\nbreak and 全角', index },
          }),
        ),
      ),
    );
    expect(new Set(entries).size).toBe(45);
    const auditId = uuidv7();
    await appendAudit(pool, { auditId, atMs: Date.now(), deskId: 'desk-a', action: 'operator.signIn' });
    await appendAudit(pool, { auditId, atMs: Date.now(), deskId: 'desk-a', action: 'operator.signIn' });
    expect(await verifyAuditChain(pool)).toEqual({ ok: true, entries: 46 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(pool.query("UPDATE audit_log SET action = 'x'")).rejects.toThrow(/append-only/);
    await expect(pool.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(pool.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
  });

  it('detects an entry changed behind the triggers (by a superuser)', async () => {
    const victim = (await pool.query('SELECT audit_id FROM audit_log ORDER BY seq LIMIT 1 OFFSET 10')).rows[0].audit_id as string;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await client.query('UPDATE audit_log SET details = \'{"forged":true}\' WHERE audit_id = $1', [victim]);
      await client.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect(await verifyAuditChain(pool)).toEqual({ ok: false, brokenAt: victim, entries: 10 });
  });
});
