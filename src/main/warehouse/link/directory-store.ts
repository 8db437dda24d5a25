// The operator directory in PostgreSQL: operators upserted with their role (content-addressed), and feed rows read back as records.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { permissionSchema, roleSchema } from '../../../common/contract/operators';
import { nameKey } from '../../core/operators/store';
import type { ReplicatedOperator } from '../../core/replica/operators';
import { parseRows, int8Schema } from '../pool';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Only operators with a UUID id are shared (every desk makes them so; a hand-made id stays at its desk). */
export function isShareableOperatorId(id: string): boolean {
  return UUID.test(id);
}

/** A custom role's id: the same name and permissions give the same id at every desk. */
export function roleIdOf(name: string, permissions: readonly string[]): string {
  const hex = createHash('sha256')
    .update(`returndesk role\n${name}\n${[...permissions].sort().join(',')}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** An operators row as the feed hands it over. */
export const operatorFeedRowSchema = z.object({
  operator_id: z.string(),
  name: z.string().min(1),
  pin_hash: z.string().min(1),
  pin_salt: z.string(),
  role: roleSchema,
  custom_role_id: z.string().nullable(),
  disabled: z.boolean(),
  created_at: z.date(),
  seq: int8Schema,
});
export type OperatorFeedRow = z.infer<typeof operatorFeedRowSchema>;

const roleRowSchema = z.object({ role_id: z.string(), name: z.string(), permissions: z.array(permissionSchema) });

export type OperatorPushOutcome = 'written' | 'unchanged' | 'kept_main' | 'name_taken' | 'second_main';

/**
 * Writes one operator (and its role) in the caller's transaction. The last writer wins: the row takes this
 * desk's values and a new change stamp. An equal row is not written (no stamp, no wake-up for nothing); the
 * warehouse's main account is never disabled or demoted from a desk. A name or a second main account already
 * held by another operator is refused (rolled back to a savepoint), answered, and left at this desk.
 */
export async function pushOperator(db: pg.ClientBase, operator: ReplicatedOperator): Promise<OperatorPushOutcome> {
  let roleId: string | null = null;
  if (operator.role === 'custom') {
    const name = operator.customRoleName ?? '';
    roleId = roleIdOf(name, operator.granted);
    await db.query('INSERT INTO roles (role_id, name, permissions) VALUES ($1, $2, $3) ON CONFLICT (role_id) DO NOTHING', [
      roleId,
      name,
      JSON.stringify(operator.granted),
    ]);
  }
  await db.query('SAVEPOINT push_operator');
  try {
    const result = await db.query(
      `INSERT INTO operators (operator_id, name, name_key, pin_hash, pin_salt, role, custom_role_id, disabled, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, to_timestamp($9 / 1000.0))
       ON CONFLICT (operator_id) DO UPDATE SET name = EXCLUDED.name, name_key = EXCLUDED.name_key, pin_hash = EXCLUDED.pin_hash,
         pin_salt = EXCLUDED.pin_salt, role = EXCLUDED.role, custom_role_id = EXCLUDED.custom_role_id, disabled = EXCLUDED.disabled,
         updated_at = now()
       WHERE (operators.name, operators.pin_hash, operators.pin_salt, operators.role, operators.custom_role_id, operators.disabled)
         IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.pin_hash, EXCLUDED.pin_salt, EXCLUDED.role, EXCLUDED.custom_role_id, EXCLUDED.disabled)
         AND NOT (operators.role = 'main' AND (EXCLUDED.role <> 'main' OR EXCLUDED.disabled))
       RETURNING operator_id`,
      [
        operator.id,
        operator.name,
        nameKey(operator.name),
        operator.pinHash,
        operator.pinSalt,
        operator.role,
        roleId,
        operator.disabled,
        operator.createdAt,
      ],
    );
    await db.query('RELEASE SAVEPOINT push_operator');
    if (result.rowCount) return 'written';
    const held = await db.query("SELECT role = 'main' AS main FROM operators WHERE operator_id = $1", [operator.id]);
    const main = (held.rows[0] as { main?: boolean } | undefined)?.main === true;
    return main && (operator.role !== 'main' || operator.disabled) ? 'kept_main' : 'unchanged';
  } catch (error) {
    await db.query('ROLLBACK TO SAVEPOINT push_operator');
    const constraint =
      (error as { code?: string; constraint?: string }).code === '23505' ? (error as { constraint?: string }).constraint : null;
    if (constraint === 'operators_name_key_key') return 'name_taken';
    if (constraint === 'operators_single_main') return 'second_main';
    throw error;
  }
}

/** Feed rows as records a desk applies (a custom role read from `roles`); rows whose role is missing are left out. */
export async function operatorsFromFeed(db: pg.Pool | pg.ClientBase, rows: readonly unknown[]): Promise<ReplicatedOperator[]> {
  const parsed = parseRows(operatorFeedRowSchema, rows);
  const roleIds = [...new Set(parsed.flatMap((row) => (row.custom_role_id ? [row.custom_role_id] : [])))];
  const roles = new Map(
    roleIds.length === 0
      ? []
      : parseRows(
          roleRowSchema,
          (await db.query('SELECT role_id, name, permissions FROM roles WHERE role_id = ANY($1)', [roleIds])).rows,
        ).map((role) => [role.role_id, role]),
  );
  const records: ReplicatedOperator[] = [];
  for (const row of parsed) {
    const role = row.custom_role_id ? roles.get(row.custom_role_id) : null;
    if (role === undefined) continue;
    records.push({
      id: row.operator_id,
      name: row.name,
      role: row.role,
      customRoleName: role ? role.name || null : null,
      granted: role ? role.permissions : [],
      disabled: row.disabled,
      createdAt: row.created_at.getTime(),
      pinHash: row.pin_hash,
      pinSalt: row.pin_salt,
    });
  }
  return records;
}
