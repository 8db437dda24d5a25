// A ticking "now" for countdowns and deadlines, one timer per component.
import { onBeforeUnmount, ref, type Ref } from 'vue';

export function useNow(everyMs = 1000): Ref<number> {
  const now = ref(Date.now());
  const timer = setInterval(() => (now.value = Date.now()), everyMs);
  onBeforeUnmount(() => clearInterval(timer));
  return now;
}
