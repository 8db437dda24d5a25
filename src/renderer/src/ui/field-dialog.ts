// What the one-field desk dialogs share: Enter submits, the field takes focus when the dialog opens, and a failed
// call shows as an error, rendered at display time so it follows a language switch.
import { onMounted, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { errorText, sessionGone } from '../api/errors';
import { bindDialog, type DialogEntry } from './dialogs';

/** Call from a dialog's setup; bind the returned `field` as the template ref of its input. */
export function useFieldDialog(entry: DialogEntry, submit: () => unknown) {
  const { t } = useI18n();
  const error = ref<(() => string) | null>(null);
  const field = ref<HTMLInputElement | null>(null);

  /** Closes the dialog with what the call answers, or keeps it open showing why the call failed. */
  async function closeWith(call: () => Promise<unknown>): Promise<void> {
    try {
      entry.close(await call());
    } catch (failure) {
      // A session that ended keeps the dialog (hidden) for after sign-in, without an error to dismiss.
      if (!sessionGone(failure)) error.value = () => errorText(t, failure);
    }
  }

  bindDialog(entry, {
    onKey: (key) => {
      if (key.key !== 'Enter') return false;
      key.preventDefault();
      void submit();
      return true;
    },
  });
  onMounted(() => field.value?.focus());
  return { error, field, closeWith };
}
