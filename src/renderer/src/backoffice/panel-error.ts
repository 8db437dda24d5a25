// A back-office panel's inline error, kept as what went wrong (the failure, or a message key) and worded only when
// shown, so switching the language re-words an error already on screen.
import { computed, ref, type ComputedRef, type Ref } from 'vue';
import { errorText } from '../api/errors';

type Translate = (key: string, params?: Record<string, unknown>) => string;

export type PanelErrorState = { failure: unknown } | { key: string; params?: Record<string, unknown> };

export interface PanelError {
  state: Ref<PanelErrorState | null>;
  /** The words for the current error in the current language (null: none). */
  text: ComputedRef<string | null>;
  fail(failure: unknown): void;
  say(key: string, params?: Record<string, unknown>): void;
  clear(): void;
}

export function panelErrorText(t: Translate, state: PanelErrorState): string {
  return 'failure' in state ? errorText(t, state.failure) : t(state.key, state.params ?? {});
}

/** `t` is the panel's useI18n().t: reading through it makes the text follow the locale. */
export function panelError(t: Translate): PanelError {
  const state = ref<PanelErrorState | null>(null);
  return {
    state,
    text: computed(() => (state.value === null ? null : panelErrorText(t, state.value))),
    fail: (failure) => (state.value = { failure }),
    say: (key, params) => (state.value = { key, params }),
    clear: () => (state.value = null),
  };
}
