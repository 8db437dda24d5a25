// The scan desk's state: the last scan and its card, the pick among several matches, recent scans, undo windows,
// and the desk settings (sound). Dialog-driven flows live in desk/flows.ts.
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { AfterSale } from '../../../common/contract/after-sales';
import type { DeskSettings } from '../../../common/contract/audit';
import type { EventPayload } from '../../../common/contract';
import type { ScanOutcome, ScanResult } from '../../../common/contract/desk';
import { deskApi } from '../api';
import { errorCode } from '../api/errors';
import { canAliasWaybill, canConfirm, canUploadWaybill, insuranceWarningOf, outcomeOf, type InsuranceWarning } from '../../../common/desk';
import { playSound, soundSettings } from '../sound/player';
import { withUndoGroup, type UndoEntry } from './undo';

export interface RecentScan {
  at: number;
  code: string;
  outcome: ScanOutcome | 'error' | 'confirmed' | 'undone';
  refundId: string | null;
}

export type { UndoEntry } from './undo';

export const useDesk = defineStore('desk', () => {
  const result = ref<ScanResult | null>(null);
  /** The after-sale on the card: the match, or the candidate picked among several. */
  const picked = ref<AfterSale | null>(null);
  const pickIndex = ref(0);
  const busy = ref(false);
  const lastError = ref<unknown>(null);
  const recent = ref<RecentScan[]>([]);
  const undo = ref<UndoEntry[]>([]);
  /** Set when the card's after-sale was just confirmed here. */
  const confirmedOnCard = ref<string | null>(null);
  const settings = ref<DeskSettings | null>(null);
  /** Set when the card's miss was found by the background refresh (the card says so until the next scan). */
  const foundByRefresh = ref(false);

  const card = computed<AfterSale | null>(() => picked.value ?? result.value?.afterSale ?? null);
  const outcome = computed<ScanOutcome | null>(() => {
    if (!result.value) return null;
    if (picked.value) return outcomeOf(picked.value);
    return result.value.outcome;
  });
  const insurance = computed<InsuranceWarning>(() => {
    if (picked.value) return insuranceWarningOf(picked.value);
    return result.value?.insuranceWarning ?? 'none';
  });

  /** The card's after-sale may be confirmed / take a waybill upload: the shared desk rules on what the card shows. */
  const confirmable = computed(() => card.value !== null && canConfirm(card.value));
  const waybillUploadable = computed(() => card.value !== null && canUploadWaybill(card.value));
  const aliasable = computed(() => card.value !== null && canAliasWaybill(card.value));

  function log(entry: Omit<RecentScan, 'at'>): void {
    recent.value = [{ at: Date.now(), ...entry }, ...recent.value].slice(0, 40);
  }

  /** 'session_ended' when the core had ended the session: the card stays and the caller keeps the code for later. */
  async function lookup(code: string, source: 'scanner' | 'manual'): Promise<'done' | 'session_ended'> {
    const trimmed = code.trim();
    if (!trimmed) return 'done';
    busy.value = true;
    lastError.value = null;
    try {
      const answer = await deskApi.call('scan.lookup', { code: trimmed, source });
      result.value = answer;
      foundByRefresh.value = false;
      picked.value = null;
      pickIndex.value = 0;
      confirmedOnCard.value = null;
      playSound(answer.repeated && answer.afterSale ? 'repeated' : answer.outcome);
      log({ code: trimmed, outcome: answer.outcome, refundId: answer.afterSale?.refundId ?? null });
      // The background refresh can finish (and its event arrive) before this answer does.
      const early = earlyResolutions.get(answer.scanId);
      earlyResolutions.clear();
      if (early) applyResolved(early);
    } catch (error) {
      if (errorCode(error) === 'not_signed_in') return 'session_ended';
      lastError.value = error;
      result.value = null;
      picked.value = null;
      playSound('error');
      log({ code: trimmed, outcome: 'error', refundId: null });
    } finally {
      busy.value = false;
    }
    return 'done';
  }

  /** scan.resolved events that came while a lookup's answer was still on its way (the event stream can be faster). */
  const earlyResolutions = new Map<string, EventPayload<'scan.resolved'>>();

  /** A miss on the card was found by the background refresh: the card turns into the found answer. */
  function applyResolved(payload: EventPayload<'scan.resolved'>): boolean {
    if (result.value?.scanId !== payload.scanId || picked.value) {
      if (busy.value) earlyResolutions.set(payload.scanId, payload);
      return false;
    }
    result.value = payload.result;
    foundByRefresh.value = true;
    pickIndex.value = 0;
    playSound(payload.result.outcome);
    log({ code: payload.result.code, outcome: payload.result.outcome, refundId: payload.result.afterSale?.refundId ?? null });
    return true;
  }
  // Stores live as long as the app: one subscription for its lifetime.
  deskApi.on('scan.resolved', (payload) => void applyResolved(payload));

  function movePick(delta: number): void {
    const count = result.value?.candidates.length ?? 0;
    if (count === 0) return;
    pickIndex.value = (pickIndex.value + delta + count) % count;
  }

  function choosePick(): void {
    const candidate = result.value?.candidates[pickIndex.value];
    if (!candidate) return;
    picked.value = candidate;
    playSound(outcomeOf(candidate));
  }

  /** Replaces the card's after-sale with a fresher copy (after a waybill upload, an undo…). */
  async function refreshCard(): Promise<void> {
    const current = card.value;
    if (!current) return;
    const scanId = result.value?.scanId;
    try {
      const fresh = await deskApi.call('afterSales.get', { refundId: current.refundId });
      // A scan answered meanwhile owns the card now: this copy is of the parcel before it.
      if (result.value?.scanId !== scanId) return;
      if (card.value?.refundId !== current.refundId) return;
      if (picked.value || !result.value) picked.value = fresh;
      else result.value = { ...result.value, afterSale: fresh, insuranceWarning: insuranceWarningOf(fresh) };
    } catch {
      // The card keeps what it had; the queue will show the newer state once synced.
    }
  }

  // The card follows the after-sale: the outbox sending it, the platform changing it, the undo window ending
  // (the core reads a confirm past its window as sending) — not only the next scan.
  let undoTimer: ReturnType<typeof setTimeout> | null = null;
  function followUndoWindow(): void {
    if (undoTimer) clearTimeout(undoTimer);
    undoTimer = null;
    const until = card.value?.local.undoUntil ?? null;
    if (until !== null) undoTimer = setTimeout(() => void refreshCard().then(followUndoWindow), Math.max(0, until - Date.now()) + 50);
  }
  watch(() => [card.value?.refundId, card.value?.local.undoUntil], followUndoWindow);
  deskApi.on('afterSales.changed', ({ refundIds }) => {
    const current = card.value;
    if (current && refundIds.includes(current.refundId)) void refreshCard();
  });
  deskApi.on('outbox.changed', () => {
    if (card.value && card.value.local.state !== 'none') void refreshCard();
  });

  /** Another operator takes the desk (Ctrl+L): the previous one's card, recent scans and undo windows go. */
  function forgetOperator(): void {
    clear();
    recent.value = [];
    undo.value = [];
  }

  function clear(): void {
    result.value = null;
    picked.value = null;
    confirmedOnCard.value = null;
    lastError.value = null;
  }

  function addUndo(entry: UndoEntry): void {
    undo.value = [entry, ...undo.value.filter((u) => u.refundId !== entry.refundId)];
  }

  /** A batch's confirms as one undo group, in the order they were queued (the group answers Ctrl+Z as one). */
  function addUndoGroup(entries: Omit<UndoEntry, 'group'>[]): void {
    undo.value = withUndoGroup(undo.value, entries, `batch-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  }

  function pruneUndo(now: number): void {
    if (undo.value.some((u) => u.undoUntil <= now)) undo.value = undo.value.filter((u) => u.undoUntil > now);
  }

  /** Settings as the core saved them: sounds play at this volume from now on. */
  function applySettings(saved: DeskSettings): void {
    settings.value = saved;
    soundSettings.volume = saved.soundVolume;
    soundSettings.muted = saved.soundMuted;
  }

  async function loadSettings(): Promise<DeskSettings | null> {
    try {
      applySettings(await deskApi.call('settings.get', {}));
    } catch {
      // Defaults stay in place until settings are available.
    }
    return settings.value;
  }

  async function saveSound(patch: { soundVolume?: number; soundMuted?: boolean }): Promise<void> {
    if (patch.soundVolume !== undefined) soundSettings.volume = patch.soundVolume;
    if (patch.soundMuted !== undefined) soundSettings.muted = patch.soundMuted;
    try {
      settings.value = await deskApi.call('settings.save', patch);
    } catch {
      // Kept for this session even when it cannot be saved.
    }
  }

  return {
    result,
    picked,
    pickIndex,
    busy,
    lastError,
    recent,
    undo,
    confirmedOnCard,
    settings,
    foundByRefresh,
    applyResolved,
    card,
    outcome,
    insurance,
    confirmable,
    waybillUploadable,
    aliasable,
    log,
    lookup,
    movePick,
    choosePick,
    refreshCard,
    clear,
    forgetOperator,
    addUndo,
    addUndoGroup,
    pruneUndo,
    applySettings,
    loadSettings,
    saveSound,
  };
});
