// Builds the whole backend for one data directory: database, context, dispatch and event bus.
import { systemClock, type Clock } from './clock';
import { openDatabase } from './db/open';
import { createDispatch, type Dispatch } from './dispatch';
import { EventBus } from './event-bus';
import { silentLogger, type Logger } from './log/logger';
import { handlers, services } from './registry';
import type { CoreContext } from './context';

export interface CoreOptions {
  dataDir: string;
  appVersion: string;
  logger?: Logger;
  clock?: Clock;
  nativeBinding?: string;
  /** Tests turn background workers off to drive them by hand. */
  startServices?: boolean;
}

export interface Core {
  dispatch: Dispatch;
  events: EventBus;
  context: Omit<CoreContext, 'transport'>;
  close(): Promise<void>;
}

export function createCore(options: CoreOptions): Core {
  const { db, path } = openDatabase({ dataDir: options.dataDir, nativeBinding: options.nativeBinding });
  const events = new EventBus();
  const context: Omit<CoreContext, 'transport'> = {
    db,
    databasePath: path,
    dataDir: options.dataDir,
    appVersion: options.appVersion,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
    events,
    session: { operatorId: null, lastActivityAt: 0 },
  };
  const running = options.startServices === false ? [] : services.map((service) => service(context));
  return {
    dispatch: createDispatch(context, handlers),
    events,
    context,
    close: async () => {
      for (const service of running) await service.stop();
      db.close();
    },
  };
}
