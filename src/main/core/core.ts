// Builds the whole backend for one data directory: database, context, dispatch and event bus.
import { systemClock, type Clock } from './kernel/clock';
import { verifyAuditChain } from './audit-log/chain';
import { lockDataDir } from './db/data-dir-lock';
import { openDatabase } from './db/open';
import { createDispatch, type Dispatch } from './dispatch';
import { EventBus } from './kernel/event-bus';
import { silentLogger, type Logger } from './log/logger';
import { PlatformRegistry, type PlatformSettings } from './platform/registry';
import { removeLeftovers } from './evidence/files';
import { handlers, services } from './registry';
import { settleBackground } from './sync/background';
import { flushRelaxed } from './db/relaxed-commit';
import { createLocalSecretBox } from './secrets/local-key';
import type { SecretBox } from './secrets/secret-box';
import { shopClientConfig } from './shops/client-config';
import { DemoShop, type DemoSimulatorStarter } from './shops/demo';
import { pausedShopIds } from './shops/manage';
import { ShopStore } from './shops/store';
import { loadShopPacing } from './shops/sync-settings';
import { createSyncRuntime, type SyncGate } from './sync/runtime';
import type { RunningService } from './context/services';
import { createOutboxRuntime } from './outbox/runtime';
import { applyDetail, readRow } from './after-sales/store';
import { getAfterSale } from './after-sales/views';
import type { CoreContext } from './context/context';
import { installAutoBind } from './parcels/bind';
import { WarehouseLinkBoard } from './warehouse-settings/link-status';
import { storedWarehouseOrNull, type StoredWarehouseConnection } from './warehouse-settings/store';

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
  /** Platform client tunables (QPS, timeouts) and test seams (transport, pacer time). */
  platform?: PlatformSettings;
  /**
   * Starts the demo shop's simulator. The entry points pass src/main/sim/demo.ts; the core never imports the
   * simulator. Without it the demo shop answers platform_unavailable.
   */
  demoSimulator?: DemoSimulatorStarter;
  /** Names this process in the data directory's lock, for the message a second process shows. */
  program?: string;
  /**
   * Which shops this desk pulls from the platform on its schedule (default: all). Given at creation so the
   * scheduler's first pass already obeys it; warehouse mode passes its link's gate (only the shops it leads).
   */
  syncGate?: SyncGate;
  /**
   * Warehouse mode from the desk's stored settings: called once while the core opens, with the stored warehouse
   * connection (password unsealed) or null; answers the sync gate to use (undefined: none). `syncGate` wins.
   */
  syncGateFromStored?: (stored: StoredWarehouseConnection | null) => SyncGate | undefined;
}

export interface Core {
  dispatch: Dispatch;
  events: EventBus;
  context: Omit<CoreContext, 'transport'>;
  /**
   * Ties an outer layer's worker (the warehouse link) to the core's life: close() stops it first, before the
   * core's own services and the database. Stopped in the reverse order of attaching.
   */
  attach(worker: RunningService): void;
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
  const platform = new PlatformRegistry(shopClientConfig(shopStore), clock, logger, options.platform);
  loadShopPacing({ db, platform });
  const demoShop = new DemoShop(options.demoSimulator ?? null);
  const warehouseLink = new WarehouseLinkBoard();
  let syncGate = options.syncGate;
  try {
    // Before the scheduler's first pass: the gate must already be the one the stored warehouse settings ask for.
    if (!syncGate && options.syncGateFromStored) {
      const openers = [...(options.secretOpeners ?? []), localBox, secrets];
      syncGate = options.syncGateFromStored(storedWarehouseOrNull({ db }, openers, logger, warehouseLink));
    }
  } catch (error) {
    db.close();
    lock.release();
    throw error;
  }
  // Sync every connected shop that is not paused at this desk; the pull never reads the shops table itself.
  const sync = createSyncRuntime(() => {
    const paused = pausedShopIds({ db });
    return shopStore
      .list()
      .filter((shop) => shop.status === 'connected' && !paused.has(shop.id))
      .map((shop) => shop.id);
  }, syncGate);
  // The outbox reaches the platform and the after-sale cache only through this port.
  const outbox = createOutboxRuntime({
    clientFor: (shopId) => platform.clientFor(shopId),
    applyDetail: (shopId, detail) => void applyDetail(db, shopId, detail, clock.now()),
    cachedStatus: (refundId) => readRow(db, refundId)?.status,
    view: (refundId) => getAfterSale({ db, clock }, refundId),
  });
  // Back online: queued uploads and confirms go at once instead of at the worker's next idle tick.
  platform.health.onBackOnline(() => outbox.wake());
  const auditCheck = verifyAuditChain(db, clock.now());
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
    shops: shopStore,
    demoShop,
    sync,
    outbox,
    session: { operatorId: null, lastActivityAt: 0, onEnd: new Set() },
    auditChainAtStart: auditCheck,
    warehouseLink,
  };
  if (!auditCheck.ok) logger.error('audit log: the hash chain is broken', { firstBadId: auditCheck.firstBadId, reason: auditCheck.reason });
  const stopAutoBind = installAutoBind(context);
  const running = options.startServices === false ? [] : services.map((service) => service(context));
  const attached: RunningService[] = [];
  return {
    dispatch: createDispatch(context, handlers),
    events,
    context,
    attach: (worker) => void attached.push(worker),
    close: async () => {
      for (const worker of attached.splice(0).reverse()) {
        await worker.stop().catch((error: unknown) => logger.warn('an attached worker did not stop cleanly', { error: String(error) }));
      }
      for (const service of running) await service.stop();
      await settleBackground(context);
      platform.close();
      await demoShop.close(logger);
      flushRelaxed(db);
      stopAutoBind();
      db.close();
      lock.release();
    },
  };
}
