// The warehouse link's status as the core reports it: the outer layer that runs the link registers where to read it.
import type { WarehouseStatus } from '../../../common/contract/warehouse';

const NOT_CONFIGURED: WarehouseStatus = { state: 'not_configured', reason: null, source: null, target: null };

/**
 * The hook between the core and whatever links it to a warehouse: the entry point registers a reader of the
 * running link's status; without one the desk has no warehouse (it works alone on its SQLite).
 */
export class WarehouseLinkBoard {
  private reader: (() => WarehouseStatus) | null = null;

  /** Registered once the link is attached; a later call replaces the reader. */
  watch(reader: () => WarehouseStatus): void {
    this.reader = reader;
  }

  current(): WarehouseStatus {
    return this.reader ? this.reader() : NOT_CONFIGURED;
  }
}

declare module '../context/context' {
  interface CoreContext {
    /** The warehouse link's status (not_configured unless an entry point linked the desk to a warehouse). */
    warehouseLink: WarehouseLinkBoard;
  }
}
