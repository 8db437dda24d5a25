// Who works at this desk: the operator session (first-run bootstrap, sign in, switch, idle sign-out) and the shops.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Operator } from '../../../shared/contract/operators';
import type { Shop } from '../../../shared/contract/shops';
import { deskApi } from '../api';
import { errorCode } from '../api/errors';
import type { ErrorCode } from '../../../shared/contract';

export const useSession = defineStore('session', () => {
  const operator = ref<Operator | null>(null);
  const needsBootstrap = ref(false);
  const idleTimeoutMs = ref(15 * 60_000);
  const loaded = ref(false);
  const loadError = ref<ErrorCode | null>(null);
  const shops = ref<Shop[] | null>(null);
  const lastActivity = ref(Date.now());

  const canRefund = computed(() => operator.value?.permissions.includes('agree_refund') ?? false);

  async function load(): Promise<void> {
    try {
      const session = await deskApi.call('operators.session', {});
      operator.value = session.operator;
      needsBootstrap.value = session.needsBootstrap;
      idleTimeoutMs.value = session.idleTimeoutMs;
      loadError.value = null;
    } catch (error) {
      loadError.value = errorCode(error);
    }
    loaded.value = true;
  }

  async function loadShops(): Promise<void> {
    try {
      shops.value = (await deskApi.call('shops.list', {})).shops;
    } catch {
      shops.value = null;
    }
  }

  async function bootstrap(name: string, pin: string): Promise<void> {
    await deskApi.call('operators.bootstrap', { name, pin });
    await signIn(name, pin);
  }

  async function signIn(name: string, pin: string): Promise<void> {
    operator.value = await deskApi.call('operators.signIn', { name, pin });
    needsBootstrap.value = false;
    touch();
  }

  async function signOut(): Promise<void> {
    try {
      await deskApi.call('operators.signOut', {});
    } finally {
      operator.value = null;
    }
  }

  function touch(): void {
    lastActivity.value = Date.now();
  }

  return {
    operator,
    needsBootstrap,
    idleTimeoutMs,
    loaded,
    loadError,
    shops,
    canRefund,
    lastActivity,
    load,
    loadShops,
    bootstrap,
    signIn,
    signOut,
    touch,
  };
});
