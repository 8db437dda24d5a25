// Every feature's handlers gathered into the one map the compiler checks against the contract.
import type { HandlerMap } from './handlers';
import type { BackgroundService } from './services';
import { afterSalesHandlers } from './after-sales/handlers';
import { appHandlers } from './app/info';
import { auditHandlers } from './audit/handlers';
import { backofficeHandlers } from './backoffice/handlers';
import { deskHandlers } from './desk/handlers';
import { inspectionHandlers } from './evidence/handlers';
import { videoHandlers } from './evidence/video-upload';
import { videoRetentionService } from './evidence/video-retention';
import { operatorsHandlers } from './operators/handlers';
import { parcelsHandlers } from './parcels/handlers';
import { shopsHandlers } from './shops/handlers';
import { demoShopService } from './shops/demo';
import { syncHandlers } from './sync/handlers';
import { syncService } from './sync/service';
import { waybillHandlers } from './waybills/detect';

export const handlers: HandlerMap = {
  ...appHandlers,
  ...afterSalesHandlers,
  ...syncHandlers,
  ...operatorsHandlers,
  ...auditHandlers,
  ...deskHandlers,
  ...parcelsHandlers,
  ...shopsHandlers,
  ...waybillHandlers,
  ...backofficeHandlers,
  ...inspectionHandlers,
  ...videoHandlers,
};

/** Long-running workers (sync, outbox) started with the core and stopped before the database closes. */
export const services: readonly BackgroundService[] = [syncService, demoShopService, videoRetentionService];
