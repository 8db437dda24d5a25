// The typed events the core pushes to the renderer (IPC in Electron, Server-Sent Events in the browser).
import { z } from 'zod';
import { defineEvents } from './define';
import { scanResultSchema } from './desk';

export const events = defineEvents({
  'sync.progress': z.object({
    shopId: z.string(),
    phase: z.string(),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative().optional(),
  }),
  'outbox.changed': z.object({ pending: z.number().int().nonnegative(), conflicts: z.number().int().nonnegative() }),
  'afterSales.changed': z.object({ refundIds: z.array(z.string()) }),
  /** A scan answered not_found was found by the background refresh: `result` (a new, recorded scan) replaces its card. */
  'scan.resolved': z.object({ scanId: z.string(), result: scanResultSchema }),
  /** An unmatched parcel found its after-sale by itself (a sync or an uploaded waybill brought the number). */
  'parcels.bound': z.object({ parcelId: z.string(), code: z.string(), refundId: z.string() }),
});

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const eventNames = Object.keys(events) as EventName[];

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}
