// Desk settings stored in the settings table as JSON, validated on read, with defaults for anything unset.
import { deskSettingsSchema, type DeskSettings } from '../../../common/contract/audit';
import type { CoreContext } from '../context/context';
import { statement } from '../sql/statements';

export const DEFAULT_SETTINGS: DeskSettings = {
  undoWindowMs: 5_000,
  idleTimeoutMs: 15 * 60_000,
  duplicateScanWindowMs: 3 * 60_000,
  syncIntervalMs: 60_000,
  soundVolume: 0.6,
  soundMuted: false,
  highContrast: false,
  videoRecording: false,
  videoRetentionDays: 30,
};

const KEY = 'desk.settings';

export function readSettings(ctx: Pick<CoreContext, 'db'>): DeskSettings {
  const raw = statement(ctx.db, 'SELECT value FROM settings WHERE key = ?').pluck().get(KEY) as string | undefined;
  if (raw === undefined) return DEFAULT_SETTINGS;
  let stored: unknown;
  try {
    stored = JSON.parse(raw);
  } catch {
    return DEFAULT_SETTINGS;
  }
  // A stored value that no longer validates falls back field by field, so one bad key does not reset the rest.
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  const shape = deskSettingsSchema.shape;
  if (stored && typeof stored === 'object') {
    for (const [key, value] of Object.entries(stored)) {
      const field = shape[key as keyof typeof shape];
      if (field && field.safeParse(value).success) merged[key] = value;
    }
  }
  return deskSettingsSchema.parse(merged);
}

export function saveSettings(ctx: Pick<CoreContext, 'db' | 'clock'>, patch: Partial<DeskSettings>): DeskSettings {
  const next = deskSettingsSchema.parse({ ...readSettings(ctx), ...patch });
  statement(
    ctx.db,
    'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  ).run(KEY, JSON.stringify(next), ctx.clock.now());
  return next;
}
