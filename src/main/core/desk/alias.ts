// waybills.alias: ties the label on the parcel in hand to an after-sale at this desk (no platform call), audited.
import type { MethodInput, MethodOutput } from '../../../common/contract';
import { DeskError } from '../../../common/contract/errors';
import { canAliasWaybill, confirmRefusalOf } from '../../../common/desk';
import { recordAudit } from '../audit-log/audit';
import type { CoreContext } from '../context/context';
import { statement } from '../sql/statements';
import { requirePermission } from '../operators/permissions';
import { findByReturnWaybill } from '../after-sales/lookup';
import { getAfterSale } from '../after-sales/views';
import { audited, scannedCodeOf } from '../audit-log/audited';
import { waybillNumberOf } from '../waybills/input';

type Output = MethodOutput<'waybills.alias'>;

interface AliasRow {
  normalized: string;
  refund_id: string;
  operator_name: string | null;
  created_at: number;
}

const toAlias = (row: AliasRow): Output => ({
  refundId: row.refund_id,
  expressNo: row.normalized,
  operatorName: row.operator_name,
  createdAt: row.created_at,
});

export function aliasWaybill(ctx: CoreContext, input: MethodInput<'waybills.alias'>): Promise<Output> {
  return audited(ctx, { action: 'waybill.alias', refundId: input.refundId, scanId: input.scanId }, () => {
    const operator = requirePermission(ctx, 'agree_refund');
    const normalized = waybillNumberOf(input.expressNo);
    const label = normalized.value;
    const afterSale = getAfterSale(ctx, input.refundId);
    if (!afterSale) throw new DeskError('not_found', `No after-sale ${input.refundId} at this desk`, { refundId: input.refundId });
    if (!canAliasWaybill(afterSale)) {
      const refusal = confirmRefusalOf(afterSale);
      throw new DeskError(
        'invalid_state',
        refusal === null
          ? "The buyer has not shipped yet: upload the buyer's waybill instead of an alias"
          : 'An alias is only for a return that can still be confirmed and no longer takes a waybill upload (22, 40)',
        { reason: refusal ?? 'alias_not_needed', status: afterSale.status, handlingWay: afterSale.handlingWay },
      );
    }
    const existing = statement(ctx.db, 'SELECT * FROM waybill_aliases WHERE normalized = ?').get(label) as AliasRow | undefined;
    if (existing?.refund_id === input.refundId) return toAlias(existing);
    const others = [...findByReturnWaybill(ctx, label), ...(existing ? [existing.refund_id] : [])].filter((id) => id !== input.refundId);
    if (others.length > 0) {
      throw new DeskError('conflict', 'This label already belongs to another after-sale', {
        reason: 'duplicate_waybill',
        refundIds: others,
      });
    }
    if (afterSale.returnWaybill && findByReturnWaybill(ctx, label).includes(input.refundId)) {
      throw new DeskError('invalid_state', 'This label is already the return waybill on record', { reason: 'alias_not_needed' });
    }
    return ctx.db.transaction((): Output => {
      const now = ctx.clock.now();
      statement(
        ctx.db,
        'INSERT INTO waybill_aliases (normalized, express_no, refund_id, operator_id, operator_name, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(label, input.expressNo.trim().slice(0, 256), input.refundId, operator.id, operator.name, now);
      recordAudit(ctx, {
        action: 'waybill.alias',
        outcome: 'recorded',
        refundId: input.refundId,
        scannedCode: scannedCodeOf(ctx, input.scanId) ?? input.expressNo,
        details: { expressNo: label, onRecord: afterSale.returnWaybill?.expressNo ?? null, scanId: input.scanId ?? null },
      });
      return { refundId: input.refundId, expressNo: label, operatorName: operator.name, createdAt: now };
    })();
  });
}
