// The desk queue: after-sales from afterSales.list with the desk's filters, the cursor, the batch selection and the detail.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { cursorOf, type AfterSale, type AfterSaleFilter, type HistoryEntry, type LocalState } from '../../../common/contract/after-sales';
import type { OutboxItem } from '../../../common/contract/sync';
import type { ErrorCode } from '../../../common/contract';
import { deskApi } from '../api';
import { errorCode } from '../api/errors';
import { mergeChanged } from '../queue/merge';

/** The first page is small so the queue opens in one short frame; later pages come as the cursor nears the end. */
export const FIRST_PAGE = 100;
export const NEXT_PAGE = 300;
/** Start fetching the next page when the cursor is this close to the end of what is loaded. */
export const PREFETCH_ROWS = 60;

export interface QueueFilters {
  deskQueue: boolean;
  status: number | null;
  courierCode: number | null;
  insurance: 'yes' | 'no' | 'unknown' | null;
  hasWaybill: boolean | null;
  local: 'pending' | 'conflict' | null;
  text: string;
  /** One shop of several, or all. */
  shopId: string | null;
}

const PENDING: LocalState[] = ['waybill_pending', 'confirm_pending', 'confirm_sending'];

export function toFilter(f: QueueFilters): AfterSaleFilter {
  const filter: AfterSaleFilter = {};
  if (f.deskQueue) filter.deskQueue = true;
  if (f.status !== null) filter.statuses = [f.status];
  if (f.courierCode !== null) filter.courierCode = f.courierCode;
  if (f.insurance !== null) filter.insurance = f.insurance;
  if (f.hasWaybill !== null) filter.hasWaybill = f.hasWaybill;
  if (f.local === 'pending') filter.localStates = PENDING;
  if (f.local === 'conflict') filter.localStates = ['conflict'];
  if (f.text.trim()) filter.text = f.text.trim().slice(0, 100);
  if (f.shopId !== null) filter.shopId = f.shopId;
  return filter;
}

export const useQueue = defineStore('queue', () => {
  const defaultFilters = (): QueueFilters => ({
    deskQueue: true,
    status: null,
    courierCode: null,
    insurance: null,
    hasWaybill: null,
    local: null,
    text: '',
    shopId: null,
  });
  const filters = ref<QueueFilters>(defaultFilters());
  /** Set by a one-off search from the desk card (F on a not-found scan): the next F2 opens the queue unfiltered. */
  const oneOffSearch = ref(false);

  function searchFor(text: string): void {
    filters.value = { ...defaultFilters(), deskQueue: false, text };
    oneOffSearch.value = true;
  }

  /** F2: the queue as the desk shows it, unless the operator set the filters themselves. */
  function openFromKey(): void {
    if (oneOffSearch.value) filters.value = defaultFilters();
    oneOffSearch.value = false;
  }

  /** Another operator takes the desk: nothing of the previous one's view stays. */
  function reset(): void {
    filters.value = defaultFilters();
    oneOffSearch.value = false;
    picked.value = new Map();
    cursor.value = 0;
    detailOpen.value = false;
  }
  // Shallow: rows are replaced, never edited in place, and deep reactivity over hundreds of rows costs the first frame.
  const items = shallowRef<AfterSale[]>([]);
  const total = ref(0);
  const cursor = ref(0);
  /** The batch selection survives filter changes, so a batch can be gathered with several searches. */
  const picked = ref<Map<string, AfterSale>>(new Map());
  const selected = computed(() => new Set(picked.value.keys()));
  const loading = ref(false);
  const error = ref<ErrorCode | null>(null);
  const detailOpen = ref(false);
  const history = ref<HistoryEntry[] | null>(null);
  const outbox = ref<OutboxItem[] | null>(null);
  const detailError = ref<ErrorCode | null>(null);
  let generation = 0;
  let loadingMore: Promise<void> | null = null;
  const complete = computed(() => items.value.length >= total.value);

  const current = computed(() => items.value[cursor.value] ?? null);
  const selection = computed(() => [...picked.value.values()]);

  function takePicked(rows: readonly AfterSale[]): void {
    if (picked.value.size === 0) return;
    const next = new Map(picked.value);
    for (const a of rows) if (next.has(a.refundId)) next.set(a.refundId, a);
    picked.value = next;
  }

  async function load(): Promise<void> {
    const mine = ++generation;
    loadingMore = null;
    loading.value = true;
    try {
      const answer = await deskApi.call('afterSales.list', { filter: toFilter(filters.value), limit: FIRST_PAGE });
      if (mine !== generation) return;
      const keep = current.value?.refundId;
      items.value = answer.items;
      total.value = answer.total;
      const index = keep ? answer.items.findIndex((a) => a.refundId === keep) : -1;
      cursor.value = index >= 0 ? index : Math.min(cursor.value, Math.max(0, answer.items.length - 1));
      takePicked(answer.items);
      error.value = null;
    } catch (failure) {
      if (mine === generation) error.value = errorCode(failure);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  /** The next keyset page after the last loaded row; one at a time, dropped when the filter changed meanwhile. */
  function loadMore(): Promise<void> {
    if (loadingMore) return loadingMore;
    const last = items.value[items.value.length - 1];
    if (!last || complete.value) return Promise.resolve();
    const mine = generation;
    loadingMore = (async () => {
      try {
        const answer = await deskApi.call('afterSales.list', { filter: toFilter(filters.value), limit: NEXT_PAGE, after: cursorOf(last) });
        if (mine !== generation) return;
        const have = new Set(items.value.map((a) => a.refundId));
        items.value = [...items.value, ...answer.items.filter((a) => !have.has(a.refundId))];
        total.value = answer.items.length === 0 ? items.value.length : answer.total;
        takePicked(answer.items);
      } catch (failure) {
        if (mine === generation) error.value = errorCode(failure);
      } finally {
        if (mine === generation) loadingMore = null;
      }
    })();
    return loadingMore;
  }

  /** Loads pages until row `index` is loaded (or the list ends): the virtual list and the keys call it. */
  function reach(index: number): void {
    if (index >= items.value.length - PREFETCH_ROWS && !complete.value) void loadMore();
  }

  /** Applies an afterSales.changed batch to the loaded rows only (the caller throttles). */
  async function applyChanged(refundIds: string[]): Promise<void> {
    if (refundIds.length === 0 || items.value.length === 0) return;
    const mine = generation;
    for (let i = 0; i < refundIds.length; i += 500) {
      const asked = refundIds.slice(i, i + 500);
      const filter = toFilter(filters.value);
      const answer = await deskApi.call('afterSales.list', { filter, limit: 500, refundIds: asked });
      if (mine !== generation) return;
      const keep = current.value?.refundId;
      const wasComplete = complete.value;
      items.value = mergeChanged(items.value, asked, answer.items, { deskQueue: filter.deskQueue === true, complete: wasComplete });
      total.value = wasComplete ? Math.max(answer.total, items.value.length) : answer.total;
      const index = keep ? items.value.findIndex((a) => a.refundId === keep) : -1;
      cursor.value = index >= 0 ? index : Math.min(cursor.value, Math.max(0, items.value.length - 1));
      takePicked(answer.items);
    }
  }

  function move(delta: number): void {
    if (items.value.length === 0) return;
    cursor.value = Math.max(0, Math.min(items.value.length - 1, cursor.value + delta));
    reach(cursor.value);
    if (detailOpen.value) void loadDetail();
  }

  function toggle(): void {
    const afterSale = current.value;
    if (!afterSale) return;
    const next = new Map(picked.value);
    if (next.has(afterSale.refundId)) next.delete(afterSale.refundId);
    else next.set(afterSale.refundId, afterSale);
    picked.value = next;
  }

  function clearSelection(): void {
    picked.value = new Map();
  }

  async function loadDetail(): Promise<void> {
    const afterSale = current.value;
    if (!afterSale) return;
    detailOpen.value = true;
    history.value = null;
    outbox.value = null;
    detailError.value = null;
    const [h, o] = await Promise.allSettled([
      deskApi.call('afterSales.history', { refundId: afterSale.refundId }),
      deskApi.call('outbox.list', { limit: 500 }),
    ]);
    if (current.value?.refundId !== afterSale.refundId) return;
    if (h.status === 'fulfilled') history.value = h.value;
    else detailError.value = errorCode(h.reason);
    if (o.status === 'fulfilled') outbox.value = o.value.filter((item) => item.refundId === afterSale.refundId);
  }

  async function retry(id: string): Promise<void> {
    await deskApi.call('outbox.retry', { id });
    await Promise.all([loadDetail(), load()]);
  }

  return {
    filters,
    searchFor,
    openFromKey,
    reset,
    items,
    total,
    cursor,
    selected,
    loading,
    error,
    detailOpen,
    history,
    outbox,
    detailError,
    current,
    selection,
    complete,
    load,
    loadMore,
    reach,
    applyChanged,
    move,
    toggle,
    clearSelection,
    loadDetail,
    retry,
  };
});
