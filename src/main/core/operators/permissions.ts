// The guard every desk action calls: a signed-in operator who holds the permission, or a typed refusal.
import { DeskError } from '../../../shared/contract/errors';
import type { Permission } from '../../../shared/contract/operators';
import type { CoreContext } from '../context';
import { hasPermission } from './roles';
import { requireOperator } from './session';
import type { OperatorRecord } from './store';

export { effectivePermissions, hasPermission, ROLE_PERMISSIONS } from './roles';

/** The signed-in operator if they hold `permission`; throws `not_signed_in` or `forbidden` otherwise. */
export function requirePermission(ctx: CoreContext, permission: Permission): OperatorRecord {
  const operator = requireOperator(ctx);
  if (!hasPermission(operator, permission)) {
    throw new DeskError('forbidden', `${operator.name} does not have the "${permission}" permission`, {
      permission,
      operatorId: operator.id,
    });
  }
  return operator;
}
