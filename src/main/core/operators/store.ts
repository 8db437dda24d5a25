// Reads and writes of the operators table, and the name folding that makes names unique case-insensitively.
import { z } from 'zod';
import { permissionSchema, roleSchema, type Operator, type Permission, type Role } from '../../../common/contract/operators';
import type { CoreContext } from '../context/context';
import { effectivePermissions } from './roles';
import type { PinHash } from './pin';
import { statement } from '../sql/statements';

export interface OperatorRecord {
  id: string;
  name: string;
  role: Role;
  customRoleName: string | null;
  /** Permissions granted to a custom role (ignored for built-in roles). */
  granted: Permission[];
  disabled: boolean;
  createdAt: number;
  pin: PinHash;
}

interface OperatorRow {
  id: string;
  name: string;
  pin_hash: string;
  pin_salt: string;
  role: string;
  custom_role_name: string | null;
  permissions: string;
  disabled: number;
  created_at: number;
}

const grantedSchema = z.array(z.unknown()).transform((list) => list.filter((p): p is Permission => permissionSchema.safeParse(p).success));

/** Unique key of a name: NFKC (full-width letters fold), trimmed, lower-cased. */
export function nameKey(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase();
}

function fromRow(row: OperatorRow): OperatorRecord {
  let granted: Permission[] = [];
  try {
    granted = grantedSchema.parse(JSON.parse(row.permissions));
  } catch {
    granted = [];
  }
  return {
    id: row.id,
    name: row.name,
    role: roleSchema.parse(row.role),
    customRoleName: row.custom_role_name,
    granted,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    pin: { hash: row.pin_hash, salt: row.pin_salt },
  };
}

export function toPublicOperator(record: OperatorRecord): Operator {
  return {
    id: record.id,
    name: record.name,
    role: record.role,
    customRoleName: record.customRoleName,
    permissions: effectivePermissions(record.role, record.granted),
    disabled: record.disabled,
    createdAt: record.createdAt,
  };
}

export function operatorCount(ctx: Pick<CoreContext, 'db'>): number {
  return statement(ctx.db, 'SELECT count(*) FROM operators').pluck().get() as number;
}

export function getOperator(ctx: Pick<CoreContext, 'db'>, id: string): OperatorRecord | null {
  const row = statement(ctx.db, 'SELECT * FROM operators WHERE id = ?').get(id) as OperatorRow | undefined;
  return row ? fromRow(row) : null;
}

export function findOperatorByName(ctx: Pick<CoreContext, 'db'>, name: string): OperatorRecord | null {
  const row = statement(ctx.db, 'SELECT * FROM operators WHERE name_key = ?').get(nameKey(name)) as OperatorRow | undefined;
  return row ? fromRow(row) : null;
}

export function listOperators(ctx: Pick<CoreContext, 'db'>): OperatorRecord[] {
  const rows = statement(ctx.db, "SELECT * FROM operators ORDER BY role = 'main' DESC, created_at, rowid").all() as OperatorRow[];
  return rows.map(fromRow);
}

export interface OperatorWrite {
  id: string;
  name: string;
  role: Role;
  customRoleName: string | null;
  granted: Permission[];
  disabled: boolean;
  pin: PinHash | null; // null on update: keep the current PIN
}

export function insertOperator(ctx: Pick<CoreContext, 'db' | 'clock'>, op: OperatorWrite & { pin: PinHash }): void {
  const now = ctx.clock.now();
  statement(
    ctx.db,
    `INSERT INTO operators (id, name, name_key, pin_hash, pin_salt, role, custom_role_name, permissions, disabled, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    op.id,
    op.name,
    nameKey(op.name),
    op.pin.hash,
    op.pin.salt,
    op.role,
    op.customRoleName,
    JSON.stringify(op.granted),
    op.disabled ? 1 : 0,
    now,
    now,
  );
}

export function updateOperator(ctx: Pick<CoreContext, 'db' | 'clock'>, op: OperatorWrite): void {
  statement(
    ctx.db,
    `UPDATE operators SET name = ?, name_key = ?, role = ?, custom_role_name = ?, permissions = ?, disabled = ?,
         pin_hash = coalesce(?, pin_hash), pin_salt = coalesce(?, pin_salt), updated_at = ? WHERE id = ?`,
  ).run(
    op.name,
    nameKey(op.name),
    op.role,
    op.customRoleName,
    JSON.stringify(op.granted),
    op.disabled ? 1 : 0,
    op.pin?.hash ?? null,
    op.pin?.salt ?? null,
    ctx.clock.now(),
    op.id,
  );
}
