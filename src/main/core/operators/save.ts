// operators.save: create or change a non-main operator, never granting more than the saving operator holds.
import { randomUUID } from 'node:crypto';
import { DeskError } from '../../../common/contract/errors';
import type { MethodInput } from '../../../common/contract';
import { recordAudit } from '../audit-log/audit';
import type { CoreContext } from '../context/context';
import { requirePermission } from './permissions';
import { hashPin } from './pin';
import { effectivePermissions } from './roles';
import { noteLocalChange } from '../kernel/local-changes';
import { findOperatorByName, getOperator, insertOperator, updateOperator, type OperatorRecord, type OperatorWrite } from './store';

type SaveInput = MethodInput<'operators.save'>;

export async function saveOperator(ctx: CoreContext, input: SaveInput): Promise<OperatorRecord> {
  const actor = requirePermission(ctx, 'manage_operators');
  const existing = input.id === undefined ? null : getOperator(ctx, input.id);
  if (input.id !== undefined && existing === null) throw new DeskError('not_found', 'No operator with this id', { id: input.id });
  if (existing?.role === 'main') {
    throw new DeskError('forbidden', 'The main account cannot be changed from the operators list', { reason: 'main_account' });
  }
  if (existing === null && input.pin === undefined) {
    throw new DeskError('invalid_input', 'A new operator needs a PIN', { issues: [{ path: 'pin', message: 'required when creating' }] });
  }
  if (existing !== null && existing.id === actor.id && input.disabled) {
    throw new DeskError('conflict', 'You cannot disable yourself', { reason: 'self_disable' });
  }
  const granted = input.role === 'custom' ? [...new Set(input.permissions ?? [])] : [];
  // No escalation: an operator may only hand out permissions they hold themselves.
  const actorHolds = effectivePermissions(actor.role, actor.granted);
  const beyond = effectivePermissions(input.role, granted).filter((p) => !actorHolds.includes(p));
  if (beyond.length > 0) {
    throw new DeskError('forbidden', 'You cannot grant permissions you do not hold', { permissions: beyond });
  }
  const sameName = findOperatorByName(ctx, input.name);
  if (sameName !== null && sameName.id !== existing?.id) {
    throw new DeskError('conflict', 'Another operator already has this name', { reason: 'name_taken', field: 'name' });
  }
  const pin = input.pin === undefined ? null : await hashPin(input.pin);
  const write: OperatorWrite = {
    id: existing?.id ?? randomUUID(),
    name: input.name,
    role: input.role,
    customRoleName: input.role === 'custom' ? input.customRoleName || null : null,
    granted,
    disabled: input.disabled ?? false,
    pin,
  };
  ctx.db.transaction(() => {
    // Checked again inside the write: the PIN hash was computed outside it.
    const clash = findOperatorByName(ctx, input.name);
    if (clash !== null && clash.id !== write.id)
      throw new DeskError('conflict', 'Another operator already has this name', { reason: 'name_taken', field: 'name' });
    if (existing === null) insertOperator(ctx, { ...write, pin: pin! });
    else updateOperator(ctx, write);
    recordAudit(ctx, {
      action: 'operators.save',
      outcome: existing === null ? 'created' : 'updated',
      details: {
        targetId: write.id,
        name: write.name,
        role: write.role,
        permissions: effectivePermissions(write.role, write.granted),
        disabled: write.disabled,
        pinChanged: pin !== null,
      },
    });
  })();
  noteLocalChange(ctx, 'operators', [write.id]);
  return getOperator(ctx, write.id)!;
}
