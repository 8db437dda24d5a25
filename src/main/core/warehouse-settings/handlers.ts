// Handlers of warehouse.*: the stored connection (the password write-only) and the link's status.
import { recordAudit } from '../audit-log/audit';
import { defineHandlers } from '../context/handlers';
import { requirePermission } from '../operators/permissions';
import { saveWarehouseSettings, warehouseSettingsView } from './store';

export const warehouseHandlers = defineHandlers({
  'warehouse.settings.get': (ctx) => warehouseSettingsView(ctx),
  'warehouse.settings.save': (ctx, input) => {
    requirePermission(ctx, 'manage_shops');
    const saved = saveWarehouseSettings(ctx, input);
    // Where the desk points and how, never the password: only whether it was set, kept or removed.
    recordAudit(ctx, {
      action: 'warehouse.settings.save',
      outcome: 'ok',
      details: {
        url: saved.url,
        tlsMode: saved.tlsMode,
        caCertificate: saved.caPem !== null,
        password: input.password === undefined ? 'kept' : input.password === null ? 'removed' : 'set',
      },
    });
    return saved;
  },
  'warehouse.status': (ctx) => ctx.warehouseLink.current(),
});
