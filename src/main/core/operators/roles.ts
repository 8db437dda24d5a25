// The merchant back office's roles and what each holds: the built-in three always agree to refunds.
import type { Permission, Role } from '../../../common/contract/operators';

export const ROLE_PERMISSIONS: Record<Exclude<Role, 'custom'>, readonly Permission[]> = {
  main: ['agree_refund', 'manage_operators', 'manage_shops'],
  admin: ['agree_refund', 'manage_operators', 'manage_shops'],
  // 客服管理员: may agree to refunds (so upload waybills and confirm receipt), not manage the desk.
  cs_admin: ['agree_refund'],
};

const ORDER: readonly Permission[] = ['agree_refund', 'manage_operators', 'manage_shops'];

/** Built-in roles hold their fixed set whatever was stored; custom roles hold exactly what was granted. */
export function effectivePermissions(role: Role, granted: readonly Permission[]): Permission[] {
  const held = role === 'custom' ? granted : ROLE_PERMISSIONS[role];
  return ORDER.filter((p) => held.includes(p));
}

export function hasPermission(operator: { role: Role; granted: readonly Permission[] }, permission: Permission): boolean {
  return effectivePermissions(operator.role, operator.granted).includes(permission);
}
