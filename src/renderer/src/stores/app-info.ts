// Pinia store for app.info, shown in the status bar.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppInfo, ErrorCode } from '../../../shared/contract';
import { DeskError } from '../../../shared/contract';
import { deskApi } from '../api';

export const useAppInfoStore = defineStore('appInfo', () => {
  const info = ref<AppInfo | null>(null);
  const errorCode = ref<ErrorCode | null>(null);

  async function refresh(): Promise<void> {
    try {
      info.value = await deskApi.call('app.info', {});
      errorCode.value = null;
    } catch (error) {
      errorCode.value = error instanceof DeskError ? error.code : 'internal';
    }
  }

  return { info, errorCode, refresh };
});
