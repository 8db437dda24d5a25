// Builds the whole backend for one data directory: database, context, dispatch and event bus.
import { systemClock, type Clock } from './clock';
import { verifyAtStart } from './audit/chain';
import { lockDataDir } from './db/data-dir-lock';
import { openDatabase } from './db/open';
import { createDispatch, type Dispatch } from './dispatch';
import { EventBus } from './event-bus';
import { silentLogger, type Logger } from './log/logger';
import { PlatformRegistry, type PlatformSettings } from './platform/registry';
import { removeLeftovers } from './evidence/files';
import { handlers, services } from './registry';
import { settleBackground } from './sync/background';
import { flushRelaxed } from './db/relaxed-commit';
import { createLocalSecretBox } from './secrets/local-key';
import type { SecretBox } from './secrets/secret-box';
import { ShopStore } from './shops/store';
import type { CoreContext } from './context';
import { installAutoBind } from './parcels/bind';

export interface CoreOptions {
  dataDir: string;
  appVersion: string;
  logger?: Logger;
  clock?: Clock;
  nativeBinding?: string;
  /** Tests turn background workers off to drive them by hand. */
  startServices?: boolean;
  /** How shop secrets are sealed; Electron passes a safeStorage-backed box. Default: AES-GCM with local-secrets.key. */
  secretBox?: SecretBox;
  /**
   * Other boxes that may open secrets sealed earlier (each secret records its box's kind). The local key-file
   * box is always one of them; Electron adds safeStorage even when it does not seal with it.
   */
  secretOpeners?: SecretBox[];
  /** Platform client tunables (QPS, timeouts) and test seams (transport, demo simulator starter). */
  platform?: PlatformSettings;
  /** Names this process in the data directory's lock, for the message a second process shows. */
  program?: string;
}

export interface Core {
  dispatch: Dispatch;
  events: EventBus;
  context: Omit<CoreContext, 'transport'>;
  close(): Promise<void>;
}

export function createCore(options: CoreOptions): Core {
  // One process per data directory: taken before the database is even opened, released after it closes.
  const lock = lockDataDir(options.dataDir, { nativeBinding: options.nativeBinding, program: options.program });
  let opened: ReturnType<typeof openDatabase>;
  try {
    opened = openDatabase({ dataDir: options.dataDir, nativeBinding: options.nativeBinding });
  } catch (error) {
    lock.release();
    throw error;
  }
  const { db, path } = opened;
  // Evidence half-written when the desk last stopped was never named in the database: drop it.
  removeLeftovers(options.dataDir);
  const events = new EventBus();
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const localBox = createLocalSecretBox(options.dataDir);
  const secrets = options.secretBox ?? localBox;
  const shopStore = new ShopStore(db, secrets, clock, [localBox, ...(options.secretOpeners ?? [])]);
  const platform = new PlatformRegistry(shopStore, clock, logger, options.platform);
  const context: Omit<CoreContext, 'transport'> = {
    db,
    databasePath: path,
    dataDir: options.dataDir,
    appVersion: options.appVersion,
    clock,
    logger,
    events,
    secrets,
    platform,
    session: { operatorId: null, lastActivityAt: 0 },
  };
  const auditCheck = verifyAtStart(db, clock.now());
  if (!auditCheck.ok) logger.error('audit log: the hash chain is broken', { firstBadId: auditCheck.firstBadId, reason: auditCheck.reason });
  const stopAutoBind = installAutoBind(context);
  const running = options.startServices === false ? [] : services.map((service) => service(context));
  return {
    dispatch: createDispatch(context, handlers),
    events,
    context,
    close: async () => {
      for (const service of running) await service.stop();
      await settleBackground(context);
      await platform.close();
      flushRelaxed(db);
      stopAutoBind();
      db.close();
      lock.release();
    },
  };
}
