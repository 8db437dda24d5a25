// What a link part has to push up: keys changed at this desk and keys held before the link started, pushed in batches
// with retries; a key waiting or in flight is "ours" so the feed does not overwrite it meanwhile (our write is later).
import { wakeableSleep } from '../../core/kernel/sleep';
import type { Logger } from '../../core/log/logger';

export interface PushQueueOptions<K> {
  /** What is being pushed, for the log. */
  what: string;
  /**
   * Pushes one batch: `changed` were changed at this desk, `initial` only held (push them only where the warehouse
   * has none). Throwing puts the whole batch back and retries after `retryMs` (pushes are idempotent).
   */
  push(changed: ReadonlySet<K>, initial: ReadonlySet<K>): Promise<void>;
  logger(): Logger | undefined;
  /**
   * Called (synchronously) as soon as a batch is no longer in flight: rows the feed brought for its keys meanwhile
   * were passed over (they may be older than ours, or newer), so the part reads those keys' current rows again.
   */
  settled?(): void;
  /** Changes arriving within this long are pushed together. */
  batchDelayMs?: number;
  retryMs?: number;
  /** Where the changed keys not yet pushed are kept across a restart (the desk's SQLite); default: memory only. */
  journal?: { load(): K[]; save(keys: readonly K[]): void };
}

export class PushQueue<K> {
  private pending = new Set<K>();
  private initial = new Set<K>();
  private inFlight = new Set<K>();
  private pumping: Promise<void> | null = null;
  private running = false;
  private stopped = false;
  private readonly pause = wakeableSleep();

  constructor(private readonly options: PushQueueOptions<K>) {
    for (const key of options.journal?.load() ?? []) this.pending.add(key);
  }

  /** Keys changed at this desk (before start they wait: a change made while the warehouse is unreachable goes up later). */
  changed(keys: Iterable<K>): void {
    for (const key of keys) {
      this.pending.add(key);
      this.initial.delete(key);
    }
    this.remember();
    this.kick();
  }

  /** Keys this desk held before linking: shared only where the warehouse has none (its row may be newer). */
  held(keys: Iterable<K>): void {
    for (const key of keys) if (!this.pending.has(key)) this.initial.add(key);
    this.kick();
  }

  /** A change of this key made here has not reached the warehouse yet. */
  isOurs(key: K): boolean {
    return this.pending.has(key) || this.inFlight.has(key);
  }

  /** The feed brought the warehouse's row: a held key needs no initial push any more. */
  known(key: K): void {
    this.initial.delete(key);
  }

  get idle(): boolean {
    return !this.pumping && this.pending.size === 0 && this.initial.size === 0;
  }

  start(): void {
    this.running = true;
    this.kick();
  }

  async drain(): Promise<void> {
    await this.pumping;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pause.wake();
    await this.pumping;
  }

  private remember(): void {
    this.options.journal?.save([...this.pending, ...this.inFlight]);
  }

  private kick(): void {
    if (this.pumping || this.stopped || !this.running) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
      if (!this.stopped && (this.pending.size > 0 || this.initial.size > 0)) this.kick();
    });
  }

  private async pump(): Promise<void> {
    await this.pause.sleep(this.options.batchDelayMs ?? 20);
    while (!this.stopped && (this.pending.size > 0 || this.initial.size > 0)) {
      const changed = this.pending;
      const initial = this.initial;
      this.pending = new Set();
      this.initial = new Set();
      this.inFlight = changed;
      try {
        await this.options.push(changed, initial);
      } catch (error) {
        for (const key of changed) this.pending.add(key);
        for (const key of initial) if (!this.pending.has(key)) this.initial.add(key);
        this.options.logger()?.warn(`warehouse: sharing ${this.options.what} failed; retrying`, { error: String(error) });
        await this.pause.sleep(this.options.retryMs ?? 1_000);
      } finally {
        this.inFlight = new Set();
        this.remember();
        this.options.settled?.();
      }
    }
  }
}
