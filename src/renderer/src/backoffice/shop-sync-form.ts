// The shop sync form's rules: seconds and calls per second as typed, blank for the desk's default, checked against the
// contract's bounds before the core is asked (the core checks again).
import {
  callsPerSecondSchema,
  PLATFORM_CALLS_PER_SECOND_LIMIT,
  SYNC_INTERVAL_MAX_MS,
  SYNC_INTERVAL_MIN_MS,
  syncIntervalMsSchema,
} from '../../../common/contract/shop-sync';

export interface ShopSyncDraft {
  /** Seconds between two syncs, as typed; blank: the desk's interval. */
  intervalS: string;
  /** Calls per second per API, as typed; blank: the default pacing. */
  callsPerSecond: string;
}

export const SHOP_SYNC_BOUNDS = {
  minS: SYNC_INTERVAL_MIN_MS / 1000,
  maxS: SYNC_INTERVAL_MAX_MS / 1000,
  maxCallsPerSecond: PLATFORM_CALLS_PER_SECOND_LIMIT,
} as const;

export type ShopSyncPatch = { syncIntervalMs: number | null; callsPerSecond: number | null };

export function draftOf(settings: ShopSyncPatch): ShopSyncDraft {
  return {
    intervalS: settings.syncIntervalMs === null ? '' : String(settings.syncIntervalMs / 1000),
    callsPerSecond: settings.callsPerSecond === null ? '' : String(settings.callsPerSecond),
  };
}

/** The patch to send, or the field that is out of bounds. */
export function patchOf(draft: ShopSyncDraft): { ok: true; patch: ShopSyncPatch } | { ok: false; field: 'intervalS' | 'callsPerSecond' } {
  const interval = draft.intervalS.trim();
  const calls = draft.callsPerSecond.trim();
  const syncIntervalMs = interval === '' ? null : Math.round(Number(interval) * 1000);
  if (syncIntervalMs !== null && (!/^\d+(\.\d+)?$/.test(interval) || !syncIntervalMsSchema.safeParse(syncIntervalMs).success)) {
    return { ok: false, field: 'intervalS' };
  }
  const callsPerSecond = calls === '' ? null : Number(calls);
  if (callsPerSecond !== null && (!/^\d+$/.test(calls) || !callsPerSecondSchema.safeParse(callsPerSecond).success)) {
    return { ok: false, field: 'callsPerSecond' };
  }
  return { ok: true, patch: { syncIntervalMs, callsPerSecond } };
}
