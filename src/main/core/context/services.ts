// Shape of a background worker that lives as long as the core (sync scheduler, outbox drainer).
import type { CoreContext } from './context';

export interface RunningService {
  stop(): Promise<void>;
}

export type BackgroundService = (ctx: Omit<CoreContext, 'transport'>) => RunningService;
