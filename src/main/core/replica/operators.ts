// Operators shared with other desks (warehouse mode): a local operator as a record (PIN hash, never the PIN), and records applied here.
import { z } from 'zod';
import { permissionSchema, roleSchema } from '../../../common/contract/operators';
import type { CoreContext } from '../context/context';
import { getOperator, nameKey, type OperatorRecord } from '../operators/store';
import { statement } from '../sql/statements';

export const replicatedOperatorSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  role: roleSchema,
  customRoleName: z.string().nullable(),
  granted: z.array(permissionSchema),
  disabled: z.boolean(),
  createdAt: z.number().int(),
  pinHash: z.string().min(1),
  pinSalt: z.string(),
});
export type ReplicatedOperator = z.infer<typeof replicatedOperatorSchema>;

/** What applying one record did; anything but `applied`/`unchanged` leaves this desk's row as it was. */
export type OperatorApplyOutcome =
  | 'applied'
  | 'unchanged'
  /** Another operator here already has the name (names are unique per desk). */
  | 'name_taken'
  /** This desk has its own main account; a desk holds one. */
  | 'second_main';

function toReplicated(record: OperatorRecord): ReplicatedOperator {
  return {
    id: record.id,
    name: record.name,
    role: record.role,
    customRoleName: record.customRoleName,
    granted: record.role === 'custom' ? [...record.granted] : [],
    disabled: record.disabled,
    createdAt: record.createdAt,
    pinHash: record.pin.hash,
    pinSalt: record.pin.salt,
  };
}

/** The operator as a record to share; null when there is none with this id. */
export function exportOperator(ctx: Pick<CoreContext, 'db'>, id: string): ReplicatedOperator | null {
  const held = getOperator(ctx, id);
  return held ? toReplicated(held) : null;
}

/** Every operator id at this desk (to share a directory made before the desk joined a warehouse). */
export function replicaOperatorIds(ctx: Pick<CoreContext, 'db'>): string[] {
  return statement(ctx.db, 'SELECT id FROM operators ORDER BY created_at, rowid').pluck().all() as string[];
}

// The creation time is not compared: it is kept from the first copy (and travels through a clock of another precision).
const same = (a: ReplicatedOperator, b: ReplicatedOperator) =>
  JSON.stringify({ ...a, createdAt: 0 }) === JSON.stringify({ ...b, createdAt: 0 });

/**
 * Applies an operator another desk made or changed, in one transaction. Idempotent (an equal record changes
 * nothing) and silent: it never reports a local change, so nothing applied here is shared back. The core's rule
 * that the main account is never disabled nor demoted holds here too: for this desk's main account only the
 * name and the PIN are taken over.
 */
export function applyReplicatedOperator(ctx: Pick<CoreContext, 'db' | 'clock'>, incoming: ReplicatedOperator): OperatorApplyOutcome {
  const record = replicatedOperatorSchema.parse(incoming);
  return ctx.db.transaction((): OperatorApplyOutcome => {
    const heldRecord = getOperator(ctx, record.id);
    const held = heldRecord ? toReplicated(heldRecord) : null;
    const wanted: ReplicatedOperator =
      held?.role === 'main' ? { ...record, role: 'main', customRoleName: null, granted: [], disabled: false } : record;
    if (held && same(held, wanted)) return 'unchanged';
    const clash = statement(ctx.db, 'SELECT id FROM operators WHERE name_key = ? AND id <> ?').pluck().get(nameKey(wanted.name), wanted.id);
    if (clash !== undefined) return 'name_taken';
    if (wanted.role === 'main' && held?.role !== 'main') {
      const main = statement(ctx.db, "SELECT id FROM operators WHERE role = 'main' AND id <> ?").pluck().get(wanted.id);
      if (main !== undefined) return 'second_main';
    }
    const values = [
      wanted.name,
      nameKey(wanted.name),
      wanted.pinHash,
      wanted.pinSalt,
      wanted.role,
      wanted.role === 'custom' ? wanted.customRoleName : null,
      JSON.stringify(wanted.role === 'custom' ? wanted.granted : []),
      wanted.disabled ? 1 : 0,
      ctx.clock.now(),
    ];
    if (held) {
      statement(
        ctx.db,
        `UPDATE operators SET name = ?, name_key = ?, pin_hash = ?, pin_salt = ?, role = ?, custom_role_name = ?, permissions = ?,
           disabled = ?, updated_at = ? WHERE id = ?`,
      ).run(...values, wanted.id);
    } else {
      statement(
        ctx.db,
        `INSERT INTO operators (name, name_key, pin_hash, pin_salt, role, custom_role_name, permissions, disabled, updated_at, id, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(...values, wanted.id, wanted.createdAt);
    }
    return 'applied';
  })();
}
