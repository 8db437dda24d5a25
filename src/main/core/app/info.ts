// app.info: version, where the data lives, the schema version and row counts, for the status bar.
import { defineHandlers } from '../context/handlers';
import { currentVersion } from '../db/migrate';
import { statement } from '../sql/statements';

export const appHandlers = defineHandlers({
  'app.info': (ctx) => {
    const tables = statement(ctx.db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .pluck()
      .all() as string[];
    const counts: Record<string, number> = {};
    for (const table of tables) {
      counts[table] = statement(ctx.db, `SELECT COUNT(*) FROM "${table}"`).pluck().get() as number;
    }
    return {
      name: 'ReturnDesk',
      version: ctx.appVersion,
      dataDir: ctx.dataDir,
      databasePath: ctx.databasePath,
      schemaVersion: currentVersion(ctx.db),
      counts,
      transport: ctx.transport,
    };
  },
});
