// Short-lived messages for the operator (errors, confirmations), shown bottom-right and read by screen readers.
import { defineStore } from 'pinia';
import { ref } from 'vue';

export interface Notice {
  id: number;
  kind: 'info' | 'success' | 'warning' | 'error';
  /** Words rendered at display time (a thunk over `t`), so a notice on screen follows a language switch. */
  text: () => string;
}

let nextId = 1;

export const useNotices = defineStore('notices', () => {
  const items = ref<Notice[]>([]);
  function push(kind: Notice['kind'], text: () => string, ms = 5000): void {
    const id = nextId++;
    items.value = [...items.value.slice(-3), { id, kind, text }];
    setTimeout(() => (items.value = items.value.filter((n) => n.id !== id)), ms);
  }
  return { items, push };
});
