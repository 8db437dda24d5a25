// Every feature's handlers gathered into the one map the compiler checks against the contract.
import type { HandlerMap } from './context/handlers';
import type { BackgroundService } from './context/services';
import { afterSalesHandlers } from './after-sales/handlers';
import { appHandlers } from './app/info';
import { auditHandlers } from './audit/handlers';
import { backofficeHandlers } from './backoffice/handlers';
import { deskHandlers } from './desk/handlers';
import { inspectionHandlers } from './inspection/handlers';
import { videoHandlers } from './inspection/video-upload';
import { videoRetentionService } from './evidence/video-retention';
import { operatorsHandlers } from './operators/handlers';
import { parcelsHandlers } from './parcels/handlers';
import { shopsHandlers } from './shops/handlers';
import { shopSyncHandlers } from './shops/sync-settings';
import { demoShopService } from './shops/demo';
import { syncHandlers } from './sync/handlers';
import { syncService } from './sync/service';
import { outboxHandlers } from './outbox/handlers';
import { outboxService } from './outbox/service';
import { waybillHandlers } from './waybills/detect';
import { warehouseHandlers } from './warehouse-settings/handlers';

export const handlers: HandlerMap = {
  ...appHandlers,
  ...afterSalesHandlers,
  ...syncHandlers,
  ...outboxHandlers,
  ...operatorsHandlers,
  ...auditHandlers,
  ...deskHandlers,
  ...parcelsHandlers,
  ...shopsHandlers,
  ...waybillHandlers,
  ...backofficeHandlers,
  ...inspectionHandlers,
  ...videoHandlers,
  ...shopSyncHandlers,
  ...warehouseHandlers,
};

/** Long-running workers (sync, outbox) started with the core and stopped before the database closes. */
export const services: readonly BackgroundService[] = [syncService, outboxService, demoShopService, videoRetentionService];
