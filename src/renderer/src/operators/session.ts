// Who works at this desk: the operator session (first-run bootstrap, sign in, switch, idle sign-out, the core ending
// it) and the shops.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Operator } from '../../../common/contract/operators';
import type { Shop } from '../../../common/contract/shops';
import { deskApi } from '../api';
import { errorCode } from '../api/errors';
import type { SessionPhase } from './session-phase';
import type { ErrorCode } from '../../../common/contract';

export const useSession = defineStore('session', () => {
  const operator = ref<Operator | null>(null);
  const needsBootstrap = ref(false);
  const idleTimeoutMs = ref(15 * 60_000);
  const loaded = ref(false);
  const loadError = ref<ErrorCode | null>(null);
  const shops = ref<Shop[] | null>(null);
  const lastActivity = ref(Date.now());
  /** Set when the session ended without the operator signing out (idle, disabled, signed out elsewhere). */
  const ended = ref<{ reason: string; at: number; operatorName: string } | null>(null);
  /** The screen to return to after signing in again. */
  const resumeRoute = ref<string | null>(null);

  const phase = computed<SessionPhase>(() => (operator.value ? 'signed_in' : ended.value ? 'ended' : 'signed_out'));
  const canRefund = computed(() => operator.value?.permissions.includes('agree_refund') ?? false);
  const canManage = computed(() => operator.value?.permissions.includes('manage_operators') ?? false);

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
    ended.value = null;
    touch();
  }

  /** The session is gone (the core said so, or the desk's own idle timer): back to sign-in, work kept aside. */
  function sessionEnded(reason: string): void {
    if (!operator.value) return;
    ended.value = { reason, at: Date.now(), operatorName: operator.value.name };
    operator.value = null;
  }

  /** The desk's own idle timer: end the core session too, then handle it like any ended session. */
  async function expire(reason: string): Promise<void> {
    sessionEnded(reason);
    await deskApi.call('operators.signOut', {}).catch(() => undefined);
  }

  function takeResumeRoute(): string | null {
    const route = resumeRoute.value;
    resumeRoute.value = null;
    return route;
  }

  deskApi.onSessionEnded(sessionEnded);

  async function signOut(): Promise<void> {
    try {
      await deskApi.call('operators.signOut', {});
    } finally {
      operator.value = null;
      ended.value = null;
      resumeRoute.value = null;
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
    phase,
    canRefund,
    canManage,
    lastActivity,
    ended,
    resumeRoute,
    load,
    loadShops,
    bootstrap,
    signIn,
    signOut,
    sessionEnded,
    expire,
    takeResumeRoute,
    touch,
  };
});
