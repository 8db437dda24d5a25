// Handlers of audit.list and settings.*: reading the log, and desk settings guarded by who may change what.
import type { DeskSettings } from '../../../common/contract/audit';
import { defineHandlers } from '../context/handlers';
import { requirePermission } from '../operators/permissions';
import { requireOperator } from '../operators/session';
import { readSettings, saveSettings } from '../settings/settings';
import { listAudit, recordAudit } from '../audit-log/audit';
import { verifyAuditChain } from '../audit-log/chain';
import { noteLocalChange } from '../kernel/local-changes';
import { isSharedSettingKey } from '../settings/shared';
import { runtime } from '../sync/runtime';

/**
 * Sound and the high-contrast display are for whoever stands at the desk; timeouts and windows shape the desk's
 * safety, so they need manage_operators.
 */
const PERSONAL_KEYS: readonly (keyof DeskSettings)[] = ['soundVolume', 'soundMuted', 'highContrast'];

export const auditHandlers = defineHandlers({
  'audit.list': (ctx, input) => {
    requireOperator(ctx);
    return listAudit(ctx, { limit: input.limit ?? 100, ...(input.beforeId === undefined ? {} : { beforeId: input.beforeId }) });
  },
  'audit.verify': (ctx) => {
    requirePermission(ctx, 'manage_operators');
    return { now: verifyAuditChain(ctx.db, ctx.clock.now()), atStart: ctx.auditChainAtStart };
  },
  // Readable without signing in: the sign-in screen needs the sound settings too.
  'settings.get': (ctx) => readSettings(ctx),
  'settings.save': (ctx, patch) => {
    const keys = Object.keys(patch) as (keyof DeskSettings)[];
    if (keys.some((key) => !PERSONAL_KEYS.includes(key))) requirePermission(ctx, 'manage_operators');
    else requireOperator(ctx);
    const saved = ctx.db.transaction(() => {
      const before = readSettings(ctx);
      const after = saveSettings(ctx, patch);
      const changed = Object.fromEntries(keys.filter((k) => before[k] !== after[k]).map((k) => [k, { from: before[k], to: after[k] }]));
      recordAudit(ctx, { action: 'settings.save', outcome: 'ok', details: changed });
      return after;
    })();
    // The shops that follow the desk's sync interval take a new one at once, not after the interval they sleep in.
    if (patch.syncIntervalMs !== undefined) runtime(ctx).reschedule();
    noteLocalChange(ctx, 'settings', keys.filter(isSharedSettingKey));
    return saved;
  },
});
