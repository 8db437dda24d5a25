// Handlers of operators.*: first-run bootstrap, sign in/out, the session, and managing operators.
import { randomUUID } from 'node:crypto';
import { DeskError } from '../../../common/contract/errors';
import { recordAudit } from '../audit-log/audit';
import { defineHandlers } from '../context/handlers';
import { readSettings } from '../settings/settings';
import { noteLocalChange } from '../kernel/local-changes';
import { requirePermission } from './permissions';
import { hashPin } from './pin';
import { saveOperator } from './save';
import { currentOperator, endSession, startSession } from './session';
import { signIn } from './sign-in';
import { getOperator, insertOperator, listOperators, operatorCount, toPublicOperator } from './store';

export const operatorsHandlers = defineHandlers({
  'operators.session': (ctx) => {
    const { operator } = currentOperator(ctx);
    return {
      operator: operator ? toPublicOperator(operator) : null,
      needsBootstrap: operatorCount(ctx) === 0,
      idleTimeoutMs: readSettings(ctx).idleTimeoutMs,
    };
  },
  'operators.bootstrap': async (ctx, input) => {
    const pin = await hashPin(input.pin);
    const id = randomUUID();
    ctx.db
      .transaction(() => {
        if (operatorCount(ctx) > 0) throw new DeskError('conflict', 'The main account already exists', { reason: 'already_bootstrapped' });
        insertOperator(ctx, { id, name: input.name, role: 'main', customRoleName: null, granted: [], disabled: false, pin });
        recordAudit(ctx, { action: 'operators.bootstrap', outcome: 'ok', operator: { id, name: input.name } });
      })
      .immediate();
    noteLocalChange(ctx, 'operators', [id]);
    const operator = getOperator(ctx, id)!;
    startSession(ctx, operator);
    return toPublicOperator(operator);
  },
  'operators.signIn': async (ctx, input) => toPublicOperator(await signIn(ctx, input.name, input.pin)),
  'operators.signOut': (ctx) => {
    const { operator } = currentOperator(ctx);
    if (operator === null) return { signedOut: false };
    recordAudit(ctx, { action: 'operators.signOut', outcome: 'ok' });
    endSession(ctx, null);
    return { signedOut: true };
  },
  'operators.list': (ctx) => {
    requirePermission(ctx, 'manage_operators');
    return listOperators(ctx).map(toPublicOperator);
  },
  'operators.save': async (ctx, input) => toPublicOperator(await saveOperator(ctx, input)),
});
