// The warehouse-wide desk settings (undo window, idle timeout, …) shared through the warehouse: saved at one desk,
// in effect at every desk; the last save wins per setting. Sound, contrast and the camera stay with each desk.
import { z } from 'zod';
import type { Core } from '../../core/core';
import { onLocalChange } from '../../core/kernel/local-changes';
import { applyReplicatedSetting, exportSharedSettings } from '../../core/replica/settings';
import { isSharedSettingKey } from '../../core/settings/shared';
import type { FeedRow, FeedTable } from '../change-feed';
import { inTransaction, parseRows, int8Schema } from '../pool';
import type { LinkEnv } from './link';
import { QueuedPart, type QueuedPartOptions } from './queued-part';

/** Desk settings are kept under this prefix in the warehouse's `settings` table (other kinds may come later). */
const PREFIX = 'desk.';

const settingRowSchema = z.object({ key: z.string(), value: z.unknown(), seq: int8Schema });

export class SettingsPart extends QueuedPart {
  readonly name = 'settings';
  readonly feeds: readonly FeedTable[] = ['settings'];

  constructor(
    private readonly core: Core,
    options: QueuedPartOptions = {},
  ) {
    super(core, 'settings', options);
    this.follow(onLocalChange(core.context, 'settings', (keys) => this.queue.changed(keys)));
  }

  start(env: LinkEnv): void {
    this.env = env;
    this.queue.held(Object.keys(exportSharedSettings(this.core.context)));
    this.queue.start();
  }

  apply(table: FeedTable, rows: FeedRow[]): Promise<void> {
    if (table !== 'settings' || !this.env) return Promise.resolve();
    for (const row of parseRows(settingRowSchema, rows)) {
      if (!row.key.startsWith(PREFIX)) continue;
      const key = row.key.slice(PREFIX.length);
      if (!isSharedSettingKey(key) || this.passesOver(key)) continue;
      const outcome = applyReplicatedSetting(this.core.context, key, row.value);
      if (outcome === 'applied') this.counters.applied += 1;
      else if (outcome === 'invalid') this.counters.refused += 1;
    }
    return Promise.resolve();
  }

  protected async currentRows(keys: string[]): Promise<FeedRow[]> {
    const result = await this.env!.pool.query('SELECT key, value, seq FROM settings WHERE key = ANY($1)', [
      keys.map((key) => PREFIX + key),
    ]);
    return result.rows as FeedRow[];
  }

  protected async push(changed: ReadonlySet<string>, initial: ReadonlySet<string>): Promise<void> {
    const values = exportSharedSettings(this.core.context) as Record<string, unknown>;
    const written = await inTransaction(this.env!.pool, async (client) => {
      let count = 0;
      for (const key of new Set([...initial, ...changed])) {
        if (!isSharedSettingKey(key) || values[key] === undefined) continue;
        const value = JSON.stringify(values[key]);
        // A held value only fills a gap; a value saved here is the last write.
        const result = changed.has(key)
          ? await client.query(
              `INSERT INTO settings (key, value) VALUES ($1, $2::jsonb)
               ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now() WHERE settings.value IS DISTINCT FROM EXCLUDED.value`,
              [PREFIX + key, value],
            )
          : await client.query('INSERT INTO settings (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO NOTHING', [
              PREFIX + key,
              value,
            ]);
        count += result.rowCount ?? 0;
      }
      return count;
    });
    this.counters.pushed += written;
  }
}

export function settingsPart(core: Core): SettingsPart {
  return new SettingsPart(core);
}
