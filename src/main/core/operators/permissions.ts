// The guards of desk actions: a signed-in operator who holds the permission, or a typed refusal.
import type { MethodPermission } from '../../../common/contract/define';
import { DeskError } from '../../../common/contract/errors';
import type { Permission } from '../../../common/contract/operators';
import type { CoreContext } from '../context/context';
import { hasPermission } from './roles';
import { currentOperator, requireOperator, signInRequired } from './session';
import type { OperatorRecord } from './store';

export { effectivePermissions, hasPermission, ROLE_PERMISSIONS } from './roles';

function forbidden(operator: OperatorRecord, permission: Permission): DeskError {
  return new DeskError('forbidden', `${operator.name} does not have the "${permission}" permission`, {
    permission,
    operatorId: operator.id,
  });
}

/** The signed-in operator if they hold `permission`; throws `not_signed_in` or `forbidden` otherwise. */
export function requirePermission(ctx: CoreContext, permission: Permission): OperatorRecord {
  const operator = requireOperator(ctx);
  if (!hasPermission(operator, permission)) throw forbidden(operator, permission);
  return operator;
}

/**
 * The check dispatch runs before every handler, from the method's declared permission. It does not count
 * as activity (a status poll keeps nobody signed in); the handlers' own guards touch the session.
 */
export function checkMethodPermission(ctx: CoreContext, needed: MethodPermission): OperatorRecord | null {
  if (needed === 'public') return null;
  const { operator, ended } = currentOperator(ctx);
  if (operator === null) throw signInRequired(ended);
  if (needed !== 'signed_in' && !hasPermission(operator, needed)) throw forbidden(operator, needed);
  return operator;
}
