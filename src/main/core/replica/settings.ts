// Desk settings shared with other desks (warehouse mode): the warehouse-wide ones, read to share and applied from elsewhere.
import { deskSettingsSchema, type DeskSettings } from '../../../common/contract/audit';
import type { CoreContext } from '../context/context';
import { isSharedSettingKey, SHARED_SETTING_KEYS, type SharedSettingKey } from '../settings/shared';
import { readSettings, saveSettings } from '../settings/settings';
import { statement } from '../sql/statements';
import { runtime } from '../sync/runtime';

/** The shared settings this desk holds, or none when it never stored any (its defaults are not a choice to share). */
export function exportSharedSettings(ctx: Pick<CoreContext, 'db'>): Partial<Pick<DeskSettings, SharedSettingKey>> {
  const stored = statement(ctx.db, "SELECT 1 FROM settings WHERE key = 'desk.settings'").pluck().get();
  if (stored === undefined) return {};
  const settings = readSettings(ctx);
  return Object.fromEntries(SHARED_SETTING_KEYS.map((key) => [key, settings[key]]));
}

export type SettingApplyOutcome = 'applied' | 'unchanged' | 'not_shared' | 'invalid';

/**
 * Applies one shared setting another desk saved. Idempotent and quiet (never reported as this desk's change); a
 * name that is not shared or a value out of range changes nothing. A new sync interval wakes the scheduler, as
 * saving it here does.
 */
export function applyReplicatedSetting(ctx: Pick<CoreContext, 'db' | 'clock' | 'sync'>, key: string, value: unknown): SettingApplyOutcome {
  if (!isSharedSettingKey(key)) return 'not_shared';
  const parsed = deskSettingsSchema.shape[key].safeParse(value);
  if (!parsed.success) return 'invalid';
  if (readSettings(ctx)[key] === parsed.data) return 'unchanged';
  saveSettings(ctx, { [key]: parsed.data });
  if (key === 'syncIntervalMs') runtime(ctx).reschedule();
  return 'applied';
}
