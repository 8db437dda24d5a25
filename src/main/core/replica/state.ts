// What an outer replication layer (warehouse mode) keeps in the desk's SQLite: this desk's id and its feed positions.
import { randomUUID } from 'node:crypto';
import type { CoreContext } from '../context/context';
import { statement } from '../sql/statements';

type Ctx = Pick<CoreContext, 'db' | 'clock'>;

// Kept in the settings key/value table: a few rows, read at start and written after each applied batch.
const DESK_ID_KEY = 'replica.deskId';
const POSITION_PREFIX = 'replica.position.';
const DECIMAL = /^[0-9]+$/;

function read(ctx: Pick<CoreContext, 'db'>, key: string): string | undefined {
  return statement(ctx.db, 'SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
}

function write(ctx: Ctx, key: string, value: string): void {
  statement(
    ctx.db,
    'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  ).run(key, value, ctx.clock.now());
}

/** This desk's id among the desks sharing a warehouse: made once, kept with the data directory. */
export function replicaDeskId(ctx: Ctx): string {
  const known = read(ctx, DESK_ID_KEY);
  if (known !== undefined && known !== '') return known;
  const made = `desk-${randomUUID()}`;
  write(ctx, DESK_ID_KEY, made);
  return made;
}

/** Where this desk stands in a feed (a decimal sequence value; '0' before the first row). */
export function replicaPosition(ctx: Pick<CoreContext, 'db'>, feed: string): string {
  const stored = read(ctx, POSITION_PREFIX + feed);
  return stored !== undefined && DECIMAL.test(stored) ? stored : '0';
}

export function saveReplicaPosition(ctx: Ctx, feed: string, position: string): void {
  if (!DECIMAL.test(position)) throw new Error(`a feed position is a decimal sequence value, got ${position.slice(0, 40)}`);
  write(ctx, POSITION_PREFIX + feed, position);
}

const MARKER_PREFIX = 'replica.marker.';

/** A short text kept beside the positions (the warehouse's feed generation they belong to); null when none. */
export function replicaMarker(ctx: Pick<CoreContext, 'db'>, name: string): string | null {
  return read(ctx, MARKER_PREFIX + name) ?? null;
}

export function saveReplicaMarker(ctx: Ctx, name: string, value: string): void {
  if (value.length > 200) throw new Error('a replica marker is short text');
  write(ctx, MARKER_PREFIX + name, value);
}

const PENDING_PREFIX = 'replica.pending.';

/** Keys changed at this desk and not yet shared (kept so a desk closed before reaching the warehouse shares them later). */
export function replicaPendingKeys(ctx: Pick<CoreContext, 'db'>, name: string): string[] {
  const stored = read(ctx, PENDING_PREFIX + name);
  if (stored === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(stored);
    return Array.isArray(parsed) ? parsed.filter((key): key is string => typeof key === 'string') : [];
  } catch {
    return [];
  }
}

export function saveReplicaPendingKeys(ctx: Ctx, name: string, keys: readonly string[]): void {
  write(ctx, PENDING_PREFIX + name, JSON.stringify([...new Set(keys)]));
}
