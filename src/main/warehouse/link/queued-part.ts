// The common frame of the parts that push small directory records (operators, shops, settings): a push queue, the
// follow-up read of feed rows passed over while our own change was in flight, and start/stop around them.
import type { Core } from '../../core/core';
import { replicaPendingKeys, saveReplicaPendingKeys } from '../../core/replica/state';
import type { FeedRow, FeedTable } from '../change-feed';
import type { LinkEnv, LinkPart } from './link';
import { PushQueue } from './push-queue';

export interface QueuedPartOptions {
  /** Changes arriving within this long are pushed together. */
  batchDelayMs?: number;
  /** Wait before pushing again after the warehouse did not answer. */
  retryMs?: number;
}

export interface QueuedPartCounters {
  /** Records this desk wrote into the warehouse. */
  pushed: number;
  /** Records from the feed that changed this desk's SQLite. */
  applied: number;
  /** Records not shared or not taken for a reason the part logs (the record stays where it was made). */
  refused: number;
}

export abstract class QueuedPart implements LinkPart {
  abstract readonly name: string;
  abstract readonly feeds: readonly FeedTable[];
  readonly counters: QueuedPartCounters = { pushed: 0, applied: 0, refused: 0 };
  protected env: LinkEnv | null = null;
  /** Keys of this desk (operator ids, local shop ids, setting names) to push. */
  protected readonly queue: PushQueue<string>;
  /** Warehouse keys whose feed rows were passed over while our own change of them was on its way up. */
  private passedOver = new Set<string>();
  private unsubscribe: () => void = () => undefined;

  /** `what` names the records in the log and their journal of keys not yet pushed in the desk's SQLite. */
  constructor(core: Core, what: string, options: QueuedPartOptions = {}) {
    const ctx = core.context;
    this.queue = new PushQueue<string>({
      what,
      journal: { load: () => replicaPendingKeys(ctx, what), save: (keys) => saveReplicaPendingKeys(ctx, what, keys) },
      push: (changed, initial) => this.push(changed, initial),
      logger: () => this.env?.logger,
      settled: () => this.readPassedOver(),
      ...options,
    });
  }

  abstract start(env: LinkEnv): Promise<void> | void;
  abstract apply(table: FeedTable, rows: FeedRow[]): Promise<void>;
  /** Pushes one batch (see PushQueueOptions.push). */
  protected abstract push(changed: ReadonlySet<string>, initial: ReadonlySet<string>): Promise<void>;
  /** The warehouse's current rows for these warehouse keys, as the feed would hand them over. */
  protected abstract currentRows(warehouseKeys: string[]): Promise<FeedRow[]>;

  get idle(): boolean {
    return this.queue.idle;
  }

  drain(): Promise<void> {
    return this.queue.drain();
  }

  async stop(): Promise<void> {
    this.unsubscribe();
    await this.queue.stop();
  }

  /** Ties the part to the core's report of local changes (from construction on: changes made before linking count). */
  protected follow(unsubscribe: () => void): void {
    this.unsubscribe = unsubscribe;
  }

  /**
   * Whether a feed row must wait because this desk's own change of `key` is on its way up; if so it is read again
   * (under `warehouseKey`) once that batch settled, since it may be older than ours or newer.
   */
  protected passesOver(key: string, warehouseKey: string = key): boolean {
    if (!this.queue.isOurs(key)) {
      this.queue.known(key);
      return false;
    }
    this.passedOver.add(warehouseKey);
    return true;
  }

  private readPassedOver(): void {
    const env = this.env;
    if (!env || this.passedOver.size === 0) return;
    const keys = [...this.passedOver];
    this.passedOver = new Set();
    void this.currentRows(keys)
      .then((rows) => this.apply(this.feeds[0]!, rows))
      .catch((error: unknown) => {
        for (const key of keys) this.passedOver.add(key);
        env.logger.warn(`warehouse: reading ${this.name} again failed; read after the next push`, { error: String(error) });
      });
  }
}
