// The context every core handler receives: database, clock, logger, event bus and the desk session.
import type Database from 'better-sqlite3';
import type { Clock } from '../kernel/clock';
import type { EventBus } from '../kernel/event-bus';
import type { Logger } from '../log/logger';
import type { PlatformRegistry } from '../platform/registry';
import type { SecretBox } from '../secrets/secret-box';

export interface CoreContext {
  db: Database.Database;
  databasePath: string;
  dataDir: string;
  appVersion: string;
  clock: Clock;
  logger: Logger;
  events: EventBus;
  /** The desk session of this process: who is signed in at this desk. */
  session: DeskSession;
  /** Seals shop secrets at rest (safeStorage in Electron, a local key file otherwise). */
  secrets: SecretBox;
  /** Platform clients per shop (`clientFor(shopId)`), built from the configuration the shops folder gives. */
  platform: PlatformRegistry;
  /** Which transport carried the current call; set per call by dispatch. */
  transport: 'ipc' | 'http';
}

export interface DeskSession {
  operatorId: string | null;
  lastActivityAt: number;
  /** Told, with the operator's id, just before a session ends for any reason (the session still names them). */
  onEnd: Set<(operatorId: string) => void>;
}
