// A restored backup followed by much writing: the sequence check cannot notice it, the feed generation does.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeFeedFollower, type FeedPositions, type FeedRow, type FeedTable } from '../../../src/main/warehouse/change-feed';
import { readWarehouseIdentity, renewGenerationIfRestored, startNewFeedGeneration } from '../../../src/main/warehouse/identity';
import { clientConfig, connectClient, createWarehousePool } from '../../../src/main/warehouse/pool';
import type { WarehouseTarget } from '../../../src/main/warehouse/config';
import { recordWalMark, restoredBehindWalMark, walMarkFile } from '../../../src/main/warehouse/wal-mark';
import { startTestWarehouse, type TestWarehouse } from './support/pg-server';

let warehouse: TestWarehouse;
let backupRoot: string;
beforeAll(async () => {
  warehouse = await startTestWarehouse();
  backupRoot = mkdtempSync(path.join(tmpdir(), 'returndesk-pg-backup-'));
});
afterAll(async () => {
  await warehouse?.stop();
  if (backupRoot) rmSync(backupRoot, { recursive: true, force: true });
});

/** A desk's stored state (its SQLite in the app): positions per table and the generation they belong to. */
class DeskState implements FeedPositions {
  readonly positions = new Map<FeedTable, string>();
  generation: string | null = null;
  async load(table: FeedTable) {
    return this.positions.get(table) ?? '0';
  }
  async save(table: FeedTable, seq: string) {
    this.positions.set(table, seq);
  }
  async loadGeneration() {
    return this.generation;
  }
  async saveGeneration(generation: string) {
    this.generation = generation;
  }
}

function follow(positions: FeedPositions, applied: Map<string, FeedRow>, statuses: string[]) {
  return new ChangeFeedFollower({
    pool: warehouse.pool(),
    connectListener: () => connectClient(warehouse.target, { applicationName: 'generation-test' }),
    tables: ['settings'],
    positions,
    apply: async (_table, rows) => rows.forEach((row) => applied.set(String(row.key), row)),
    reconnectDelayMs: 100,
    onStatus: (status) => statuses.push(status),
  });
}

async function writeSettings(prefix: string, count: number): Promise<void> {
  const pool = warehouse.pool();
  for (let index = 0; index < count; index += 1) {
    await pool.query('INSERT INTO settings (key, value) VALUES ($1, $2)', [`${prefix}-${index}`, JSON.stringify(index)]);
  }
  await pool.end();
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A cold copy of the data directory, as a file-level backup; `cp -a` keeps the owner (the server may run as postgres). */
const copyDirectory = (from: string, to: string) => execFileSync('cp', ['-a', from, to]);

/** Stops the server at once (as a crash does), copies its data directory to `to` cold, and starts it again. */
async function backUpTo(to: string): Promise<void> {
  await warehouse.crash();
  copyDirectory(warehouse.dataDir, to);
  await warehouse.restart();
}

/** Stops the server at once, puts the copy at `from` in place of its data directory, and starts it on that. */
async function restoreFrom(from: string): Promise<void> {
  await warehouse.crash();
  rmSync(warehouse.dataDir, { recursive: true, force: true });
  copyDirectory(from, warehouse.dataDir);
  await warehouse.restart();
}

describe('feed generation', () => {
  it('resets positions ahead of a restored database even after much writing, where the sequence check is blind', async () => {
    await writeSettings('before-backup', 5);
    const backup = path.join(backupRoot, 'data');
    await backUpTo(backup);
    const generationBefore = (await readWarehouseIdentity(warehouse.pool()))!.generation;

    // The desk follows 50 more rows, then goes away; the database is restored to the backup.
    const desk = new DeskState();
    const applied = new Map<string, FeedRow>();
    const deskStatuses: string[] = [];
    const first = follow(desk, applied, deskStatuses);
    await first.start();
    await writeSettings('after-backup', 50);
    await first.catchUp();
    await first.stop();
    expect(applied.size).toBe(55);
    expect(desk.generation).toBe(generationBefore);
    const deskPosition = BigInt(desk.positions.get('settings')!);

    await restoreFrom(backup);
    const pool = warehouse.pool();
    const newGeneration = await startNewFeedGeneration(pool);
    expect(newGeneration).not.toBe(generationBefore);

    // Much writing before the desk returns: the restored sequence passes the desk's stored position.
    await writeSettings('after-restore', 100);
    const sequence = await pool.query('SELECT last_value FROM settings_change_seq');
    expect(BigInt(sequence.rows[0].last_value)).toBeGreaterThan(deskPosition);

    // Without the generation (a desk that only compares with the sequence) the rows written first are skipped.
    const blind: FeedPositions = { load: async () => String(deskPosition), save: async () => undefined };
    const blindApplied = new Map<string, FeedRow>();
    const blindStatuses: string[] = [];
    const blindFollower = follow(blind, blindApplied, blindStatuses);
    await blindFollower.start();
    await blindFollower.stop();
    expect(blindStatuses).not.toContain('rewound');
    expect(blindApplied.has('after-restore-0')).toBe(false);

    // The desk with its stored generation sees the new one, pulls from 0 and gets every row of the restored database.
    const returning = follow(desk, applied, deskStatuses);
    await returning.start();
    await returning.stop();
    expect(deskStatuses).toContain('rewound');
    expect(desk.generation).toBe(newGeneration);
    for (let index = 0; index < 100; index += 1) expect(applied.has(`after-restore-${index}`)).toBe(true);
    expect(desk.positions.get('settings')).toBe(String(sequence.rows[0].last_value));
  });

  it('resets a connected desk at once when the generation changes (restored without a restart)', async () => {
    const desk = new DeskState();
    const applied = new Map<string, FeedRow>();
    const statuses: string[] = [];
    const follower = follow(desk, applied, statuses);
    try {
      await follower.start();
      const rowsBefore = applied.size;
      expect(rowsBefore).toBeGreaterThan(0);
      applied.clear();
      await startNewFeedGeneration(warehouse.pool());
      await waitUntil(() => statuses.includes('rewound') && applied.size === rowsBefore, 'the reset and the pull from 0');
      expect(desk.generation).toBe((await readWarehouseIdentity(warehouse.pool()))!.generation);
    } finally {
      await follower.stop();
    }
  });

  it('keeps the positions when the generation is unchanged, and adopts a generation it has not stored yet', async () => {
    const desk = new DeskState();
    desk.positions.set('settings', '3');
    const statuses: string[] = [];
    const follower = follow(desk, new Map(), statuses);
    await follower.start();
    await follower.stop();
    // First sight of a generation (a desk upgraded from before version 5): nothing to compare with, positions kept.
    expect(statuses).not.toContain('rewound');
    expect(desk.generation).toBe((await readWarehouseIdentity(warehouse.pool()))!.generation);
    const position = desk.positions.get('settings');
    const again = follow(desk, new Map(), statuses);
    await again.start();
    await again.stop();
    expect(statuses).not.toContain('rewound');
    expect(desk.positions.get('settings')).toBe(position);
  });

  it('starts a new generation by itself when the backup is restored into another database (no manager step)', async () => {
    const desk = new DeskState();
    const applied = new Map<string, FeedRow>();
    const statuses: string[] = [];
    const original = follow(desk, applied, statuses);
    await original.start(); // records the database's fingerprint
    await original.stop();
    const generationBefore = desk.generation;

    // The backup: a copy of the database as it is now (CREATE DATABASE … TEMPLATE needs it to be idle).
    const admin = new pg.Client(clientConfig({ ...warehouse.target, database: 'postgres' }));
    await admin.connect();
    try {
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'returndesk' AND pid <> pg_backend_pid()");
      await admin.query('CREATE DATABASE restored TEMPLATE returndesk');
    } finally {
      await admin.end();
    }

    // The desk follows the original further; then the backup is restored as a new database and written to a lot.
    await writeSettings('original-only', 40);
    const further = follow(desk, applied, statuses);
    await further.start();
    await further.stop();
    const restored: WarehouseTarget = { ...warehouse.target, database: 'restored' };
    const restoredPool = createWarehousePool(restored);
    try {
      for (let index = 0; index < 80; index += 1) {
        await restoredPool.query('INSERT INTO settings (key, value) VALUES ($1, $2)', [`restored-${index}`, JSON.stringify(index)]);
      }
      const sequence = await restoredPool.query('SELECT last_value FROM settings_change_seq');
      expect(BigInt(sequence.rows[0].last_value)).toBeGreaterThan(BigInt(desk.positions.get('settings')!));
      expect((await readWarehouseIdentity(restoredPool))?.generation).toBe(generationBefore);

      const returning = new ChangeFeedFollower({
        pool: restoredPool,
        connectListener: () => connectClient(restored, { applicationName: 'generation-test' }),
        tables: ['settings'],
        positions: desk,
        apply: async (_table, rows) => rows.forEach((row) => applied.set(String(row.key), row)),
        onStatus: (status) => statuses.push(status),
      });
      await returning.start();
      await returning.stop();
      expect(statuses).toContain('rewound');
      expect(desk.generation).not.toBe(generationBefore);
      expect(desk.generation).toBe((await readWarehouseIdentity(restoredPool))?.generation);
      for (let index = 0; index < 80; index += 1) expect(applied.has(`restored-${index}`)).toBe(true);
    } finally {
      await restoredPool.end();
    }
  });

  it("the host's WAL mark recognises a copy of the data directory restored in place (which keeps the fingerprint)", async () => {
    const markFile = walMarkFile(warehouse.dataDir, path.join(backupRoot, 'marks'));
    // One mark per data directory, away from it (restoring the folder that holds it must not restore the mark).
    expect(path.dirname(markFile)).toBe(path.join(backupRoot, 'marks'));
    expect(walMarkFile('/a/data')).not.toBe(walMarkFile('/b/data'));
    expect(walMarkFile('/a/data').startsWith('/a/')).toBe(false);
    const copy = path.join(backupRoot, 'in-place');
    expect(await restoredBehindWalMark(warehouse.pool(), markFile)).toBe(false); // no mark yet: never a restore
    await backUpTo(copy);
    await writeSettings('after-copy', 30);
    await recordWalMark(warehouse.pool(), markFile);
    expect(await restoredBehindWalMark(warehouse.pool(), markFile)).toBe(false); // same server, still ahead

    await restoreFrom(copy);
    const pool = warehouse.pool();
    const fingerprintRenewed = await renewGenerationIfRestored(pool);
    expect(fingerprintRenewed).toBe(false); // a copy in place looks like the same database to the fingerprint
    expect(await restoredBehindWalMark(pool, markFile)).toBe(true);

    // A mark of another cluster (a new initdb in the same place) is not taken for a restore.
    const mark = JSON.parse(readFileSync(markFile, 'utf8')) as { systemIdentifier: string };
    writeFileSync(markFile, JSON.stringify({ ...mark, systemIdentifier: '1' }));
    expect(await restoredBehindWalMark(pool, markFile)).toBe(false);
  });
});
