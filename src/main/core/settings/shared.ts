// Which desk settings are the warehouse's rules (shared by every desk in warehouse mode) and which stay with each desk.

/**
 * The rules of the warehouse, the same at every desk: how long a confirm can be undone, when an idle session ends,
 * what counts as a repeated scan, how often shops are pulled, how long videos are kept. Sound, contrast and
 * whether this desk's camera records stay with each desk.
 */
export const SHARED_SETTING_KEYS = [
  'undoWindowMs',
  'idleTimeoutMs',
  'duplicateScanWindowMs',
  'syncIntervalMs',
  'videoRetentionDays',
] as const;
export type SharedSettingKey = (typeof SHARED_SETTING_KEYS)[number];

export function isSharedSettingKey(key: string): key is SharedSettingKey {
  return (SHARED_SETTING_KEYS as readonly string[]).includes(key);
}
