// Contract of each shop's own sync interval and request pacing, and the platform limit that bounds the pacing.
import { z } from 'zod';
import { defineMethods } from './define';

/** The platform's published rate: 100 calls per second per API per app (docs/platform.md, "Answers, errors and limits"). */
export const PLATFORM_CALLS_PER_SECOND_LIMIT = 100;
/** The bounds of a sync interval, the same for the desk's default and a shop's own (10 s to 1 h). */
export const SYNC_INTERVAL_MIN_MS = 10_000;
export const SYNC_INTERVAL_MAX_MS = 3_600_000;

export const syncIntervalMsSchema = z.number().int().min(SYNC_INTERVAL_MIN_MS).max(SYNC_INTERVAL_MAX_MS);
/** Whole calls per second per API, at least 1 and never above the platform's limit. */
export const callsPerSecondSchema = z.number().int().min(1).max(PLATFORM_CALLS_PER_SECOND_LIMIT);

/** A shop's own settings; null follows the desk (the desk's sync interval, the default pacing under the limit). */
export const shopSyncSettingsSchema = z.object({
  syncIntervalMs: syncIntervalMsSchema.nullable(),
  callsPerSecond: callsPerSecondSchema.nullable(),
});
export type ShopSyncSettings = z.infer<typeof shopSyncSettingsSchema>;

/** What the shop runs with now: its own values or the desk's, and whose they are. */
export const shopSyncEffectiveSchema = shopSyncSettingsSchema.extend({
  effectiveSyncIntervalMs: syncIntervalMsSchema,
  /** Calls per second per API the shop's pacer allows now (the default keeps a safety margin under the limit). */
  effectiveCallsPerSecond: z.number().positive(),
});
export type ShopSyncEffective = z.infer<typeof shopSyncEffectiveSchema>;

export const shopSyncMethods = defineMethods({
  'shops.setSyncSettings': {
    permission: 'manage_shops',
    changesState: true,
    input: z
      .object({
        shopId: z.string().min(1).max(100),
        /** Absent: unchanged; null: back to the desk's default. */
        syncIntervalMs: syncIntervalMsSchema.nullable().optional(),
        callsPerSecond: callsPerSecondSchema.nullable().optional(),
      })
      .strict(),
    output: shopSyncEffectiveSchema.extend({ shopId: z.string() }),
  },
});
