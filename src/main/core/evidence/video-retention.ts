// Retention of unpacking videos: a video older than the retention setting (days) leaves the database and the disk.
import fs from 'node:fs';
import path from 'node:path';
import { recordAudit } from '../audit/audit';
import type { CoreContext } from '../context';
import { statement } from '../db/statements';
import type { BackgroundService } from '../services';
import { readSettings } from '../settings/settings';

const DAY = 86_400_000;
const CHECK_EVERY_MS = 60 * 60_000;

/** Removes the videos stored before now − retention; returns their hashes. Audited once per video (by the desk). */
export function removeExpiredVideos(ctx: Pick<CoreContext, 'db' | 'clock' | 'session' | 'dataDir'>): string[] {
  const cutoff = ctx.clock.now() - readSettings(ctx).videoRetentionDays * DAY;
  const expired = statement(
    ctx.db,
    `SELECT sha256, rel_path, size, created_at FROM evidence_files WHERE media = 'video' AND created_at < ?`,
  ).all(cutoff) as { sha256: string; rel_path: string; size: number; created_at: number }[];
  if (expired.length === 0) return [];
  // The rows go first: a crash before the files are deleted leaves an unnamed file, never a row without its file.
  ctx.db.transaction(() => {
    for (const video of expired) {
      const refundIds = statement(ctx.db, 'SELECT refund_id FROM evidence_links WHERE sha256 = ?').pluck().all(video.sha256) as string[];
      statement(ctx.db, 'DELETE FROM evidence_links WHERE sha256 = ?').run(video.sha256);
      statement(ctx.db, 'DELETE FROM evidence_files WHERE sha256 = ?').run(video.sha256);
      for (const refundId of refundIds.length > 0 ? refundIds : [null]) {
        recordAudit(ctx, {
          action: 'evidence.videoExpired',
          outcome: 'removed',
          refundId,
          operator: null,
          details: { sha256: video.sha256, size: video.size, storedAt: video.created_at, cutoff },
        });
      }
    }
  })();
  for (const video of expired) fs.rmSync(path.join(ctx.dataDir, video.rel_path), { force: true });
  return expired.map((v) => v.sha256);
}

/** Runs the retention at start and then hourly, for as long as the core lives. */
export const videoRetentionService: BackgroundService = (ctx) => {
  const run = () => {
    try {
      const removed = removeExpiredVideos(ctx);
      if (removed.length > 0) ctx.logger.info('evidence: expired unpacking videos removed', { count: removed.length });
    } catch (error) {
      ctx.logger.error('evidence: video retention failed', { error: String(error) });
    }
  };
  run();
  const timer = setInterval(run, CHECK_EVERY_MS);
  timer.unref?.();
  return {
    stop: async () => {
      clearInterval(timer);
    },
  };
};
