// operators.changeOwnPin: the signed-in operator (the main account above all, whom nobody else may change) sets a new PIN.
import { DeskError } from '../../../common/contract/errors';
import { recordAudit } from '../audit-log/audit';
import type { CoreContext } from '../context/context';
import { statement } from '../sql/statements';
import { noteLocalChange } from '../kernel/local-changes';
import { hashPin, verifyPin } from './pin';
import { requireOperator } from './session';

export async function changeOwnPin(ctx: CoreContext, currentPin: string, newPin: string): Promise<{ changed: true }> {
  const operator = requireOperator(ctx);
  if (!(await verifyPin(currentPin, operator.pin))) {
    recordAudit(ctx, { action: 'operators.changeOwnPin', outcome: 'wrong_pin' });
    throw new DeskError('forbidden', 'The current PIN is wrong', { reason: 'wrong_pin', field: 'currentPin' });
  }
  const pin = await hashPin(newPin);
  ctx.db.transaction(() => {
    statement(ctx.db, 'UPDATE operators SET pin_hash = ?, pin_salt = ?, updated_at = ? WHERE id = ?').run(
      pin.hash,
      pin.salt,
      ctx.clock.now(),
      operator.id,
    );
    recordAudit(ctx, { action: 'operators.changeOwnPin', outcome: 'ok', details: { targetId: operator.id } });
  })();
  noteLocalChange(ctx, 'operators', [operator.id]);
  return { changed: true };
}
