// Operators and roles shared through the warehouse: what is made or changed at this desk goes up (last writer wins, by
// the warehouse's change sequence); what any desk wrote comes down into this desk's SQLite, so one sign-in works everywhere.
import type { Core } from '../../core/core';
import { wakeableSleep } from '../../core/kernel/sleep';
import { onOperatorsChanged } from '../../core/operators/changes';
import { applyReplicatedOperator, exportOperator, replicaOperatorIds, type OperatorApplyOutcome } from '../../core/replica/operators';
import type { FeedRow, FeedTable } from '../change-feed';
import { inTransaction } from '../pool';
import { isShareableOperatorId, operatorsFromFeed, pushOperator, type OperatorPushOutcome } from './directory-store';
import type { LinkEnv, LinkPart } from './link';

export interface DirectoryPartOptions {
  /** Changes arriving within this long are pushed together. */
  batchDelayMs?: number;
  /** Wait before pushing again after the warehouse did not answer. */
  retryMs?: number;
}

export interface DirectoryCounters {
  /** Operators this desk wrote into the warehouse. */
  pushed: number;
  /** Operators from the feed that changed this desk's SQLite. */
  applied: number;
  /** Pushes or applies refused (a name or a main account held by another operator); the row stays where it was made. */
  refused: number;
}

export class DirectoryPart implements LinkPart {
  readonly name = 'directory';
  /** Only operators: a custom role travels with its operator (read by id from `roles` when the operator comes down). */
  readonly feeds: readonly FeedTable[] = ['operators'];
  readonly counters: DirectoryCounters = { pushed: 0, applied: 0, refused: 0 };
  private env: LinkEnv | null = null;
  /** Operators changed here and not yet in the warehouse: the feed does not overwrite them meanwhile (ours is later). */
  private pending = new Set<string>();
  /** Operators that existed before the link started: shared only if the warehouse does not hold them yet. */
  private initial = new Set<string>();
  private pumping: Promise<void> | null = null;
  private stopped = false;
  private readonly unsubscribe: () => void;
  private readonly pause = wakeableSleep();
  private readonly logged = new Set<string>();

  constructor(
    private readonly core: Core,
    private readonly options: DirectoryPartOptions = {},
  ) {
    // From construction on, so a change made while the warehouse is still unreachable goes up once it is reached.
    this.unsubscribe = onOperatorsChanged(core.context, (ids) => {
      for (const id of ids) this.pending.add(id);
      this.kick();
    });
  }

  start(env: LinkEnv): void {
    this.env = env;
    for (const id of replicaOperatorIds(this.core.context)) if (!this.pending.has(id)) this.initial.add(id);
    this.kick();
  }

  get idle(): boolean {
    return !this.pumping && this.pending.size === 0 && this.initial.size === 0;
  }

  async drain(): Promise<void> {
    await this.pumping;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    this.pause.wake();
    await this.pumping;
  }

  async apply(table: FeedTable, rows: FeedRow[]): Promise<void> {
    if (table !== 'operators' || !this.env) return;
    for (const record of await operatorsFromFeed(this.env.pool, rows)) {
      // Our own newer change is on its way up and will come back down as the last write.
      if (this.pending.has(record.id)) continue;
      this.initial.delete(record.id);
      const outcome = applyReplicatedOperator(this.core.context, record);
      if (outcome === 'applied') this.counters.applied += 1;
      else if (outcome !== 'unchanged') this.refusedOnce('down', record.id, outcome);
    }
  }

  private kick(): void {
    if (this.pumping || this.stopped || !this.env) return;
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
      try {
        await this.push(changed, initial);
      } catch (error) {
        for (const id of changed) this.pending.add(id);
        for (const id of initial) if (!this.pending.has(id)) this.initial.add(id);
        this.env?.logger.warn('warehouse: sharing operators failed; retrying', { error: String(error) });
        await this.pause.sleep(this.options.retryMs ?? 1_000);
      }
    }
  }

  private async push(changed: Set<string>, initial: Set<string>): Promise<void> {
    const env = this.env!;
    const outcomes = await inTransaction(env.pool, async (client) => {
      const done: [string, OperatorPushOutcome][] = [];
      for (const id of [...initial, ...changed]) {
        if (!isShareableOperatorId(id)) continue;
        const record = exportOperator(this.core.context, id);
        if (!record) continue;
        if (initial.has(id) && !changed.has(id)) {
          // Held before the link started: the warehouse's row (maybe changed elsewhere since) is the later one.
          const known = await client.query('SELECT 1 FROM operators WHERE operator_id = $1', [id]);
          if (known.rowCount) continue;
        }
        done.push([id, await pushOperator(client, record)]);
      }
      return done;
    });
    for (const [id, outcome] of outcomes) {
      if (outcome === 'written') this.counters.pushed += 1;
      else if (outcome !== 'unchanged') this.refusedOnce('up', id, outcome);
    }
    // Our writes come back through the feed; take them (and whatever else is new) in now.
    if (outcomes.some(([, outcome]) => outcome === 'written')) await env.catchUp(['operators']);
  }

  private refusedOnce(direction: 'up' | 'down', operatorId: string, outcome: OperatorPushOutcome | OperatorApplyOutcome): void {
    this.counters.refused += 1;
    const key = `${direction}\n${operatorId}\n${outcome}`;
    if (this.logged.has(key)) return;
    this.logged.add(key);
    const message =
      direction === 'up'
        ? 'warehouse: an operator of this desk is not shared (the warehouse holds another with its name or main role)'
        : 'warehouse: a shared operator is not taken in here (this desk holds another with its name or main role)';
    this.env?.logger.warn(message, { operatorId, outcome });
  }
}

/** The part for the link's default list. */
export function directoryPart(core: Core, options?: DirectoryPartOptions): DirectoryPart {
  return new DirectoryPart(core, options);
}
