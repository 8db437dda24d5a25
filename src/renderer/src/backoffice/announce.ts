// Tells the operator on duty when an unmatched parcel bound itself to an after-sale (a sync or an upload brought it).
import { deskApi } from '../api';
import { i18n } from '../i18n';
import { useNotices } from '../ui/notices';
import { useSession } from '../operators/session';

export function announceParcelBindings(): () => void {
  const notices = useNotices();
  const session = useSession();
  return deskApi.on('parcels.bound', (bound) => {
    if (!session.operator) return;
    notices.push('success', () => i18n.global.t('backoffice.unmatched.autoBound', { code: bound.code, refundId: bound.refundId }), 15_000);
  });
}
