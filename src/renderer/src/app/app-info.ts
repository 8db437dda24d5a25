// Pinia store for app.info, shown in the status bar: read at start and again when after-sales change (throttled).
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AppInfo, ErrorCode } from '../../../common/contract';
import { DeskError } from '../../../common/contract';
import { deskApi } from '../api';
import { throttle } from '../ui/throttle';

/** A backfill emits afterSales.changed many times a second; the count needs no more than this. */
export const APP_INFO_REFRESH_MS = 2000;

export const useAppInfoStore = defineStore('appInfo', () => {
  const info = ref<AppInfo | null>(null);
  const errorCode = ref<ErrorCode | null>(null);
  const afterSales = computed(() => info.value?.counts.after_sales ?? 0);
  let off: (() => void) | null = null;

  async function refresh(): Promise<void> {
    try {
      info.value = await deskApi.call('app.info', {});
      errorCode.value = null;
    } catch (error) {
      errorCode.value = error instanceof DeskError ? error.code : 'internal';
    }
  }

  const refreshSoon = throttle(() => void refresh(), APP_INFO_REFRESH_MS);

  function start(): void {
    if (off) return;
    void refresh();
    off = deskApi.on('afterSales.changed', () => refreshSoon());
  }

  function stop(): void {
    off?.();
    off = null;
    refreshSoon.cancel();
  }

  return { info, errorCode, afterSales, refresh, start, stop };
});
