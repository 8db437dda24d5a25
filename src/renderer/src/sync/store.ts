// Sync state for the header: online or offline since when, last sync, uploads waiting; refreshed by events and a timer.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SyncStatus } from '../../../common/contract/sync';
import type { ErrorCode } from '../../../common/contract';
import { deskApi } from '../api';
import { errorCode } from '../api/errors';

export const useSync = defineStore('sync', () => {
  const status = ref<SyncStatus | null>(null);
  const error = ref<ErrorCode | null>(null);
  const progress = ref<{ phase: string; done: number; total?: number } | null>(null);
  let timer: ReturnType<typeof setInterval> | null = null;
  let unsubscribe: (() => void)[] = [];
  let refreshing: Promise<void> | null = null;

  function refresh(): Promise<void> {
    refreshing ??= (async () => {
      try {
        status.value = await deskApi.call('sync.status', {});
        error.value = null;
      } catch (failure) {
        error.value = errorCode(failure);
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  async function runNow(): Promise<void> {
    try {
      await deskApi.call('sync.run', {});
    } catch (failure) {
      error.value = errorCode(failure);
    }
    await refresh();
  }

  function start(): void {
    if (timer) return;
    void refresh();
    timer = setInterval(() => void refresh(), 5000);
    unsubscribe = [
      deskApi.on('outbox.changed', (payload) => {
        if (status.value) status.value = { ...status.value, pendingUploads: payload.pending, conflicts: payload.conflicts };
        void refresh();
      }),
      deskApi.on('sync.progress', (payload) => {
        progress.value =
          payload.phase === 'idle'
            ? null
            : { phase: payload.phase, done: payload.done, ...(payload.total === undefined ? {} : { total: payload.total }) };
      }),
    ];
  }

  function stop(): void {
    if (timer) clearInterval(timer);
    timer = null;
    unsubscribe.forEach((off) => off());
    unsubscribe = [];
  }

  return { status, error, progress, refresh, runNow, start, stop };
});
