// Operators and roles shared through the warehouse: what is made or changed at this desk goes up (last writer wins, by
// the warehouse's change sequence); what any desk wrote comes down into this desk's SQLite, so one sign-in works everywhere.
import type { Core } from '../../core/core';
import { onLocalChange } from '../../core/kernel/local-changes';
import { applyReplicatedOperator, exportOperator, replicaOperatorIds, type OperatorApplyOutcome } from '../../core/replica/operators';
import type { FeedRow, FeedTable } from '../change-feed';
import { inTransaction } from '../pool';
import { isShareableOperatorId, operatorsFromFeed, pushOperator, type OperatorPushOutcome } from './directory-store';
import type { LinkEnv, LinkPart } from './link';
import { PushQueue } from './push-queue';

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
  private readonly queue: PushQueue<string>;
  /** Operators whose feed rows were passed over while our own change of them was on its way up. */
  private passedOver = new Set<string>();
  private readonly unsubscribe: () => void;
  private readonly logged = new Set<string>();

  constructor(
    private readonly core: Core,
    options: DirectoryPartOptions = {},
  ) {
    this.queue = new PushQueue<string>({
      what: 'operators',
      push: (changed, initial) => this.push(changed, initial),
      logger: () => this.env?.logger,
      settled: () => this.readPassedOver(),
      ...options,
    });
    // From construction on, so a change made while the warehouse is still unreachable goes up once it is reached.
    this.unsubscribe = onLocalChange(core.context, 'operators', (ids) => this.queue.changed(ids));
  }

  start(env: LinkEnv): void {
    this.env = env;
    this.queue.held(replicaOperatorIds(this.core.context).filter(isShareableOperatorId));
    this.queue.start();
  }

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

  async apply(table: FeedTable, rows: FeedRow[]): Promise<void> {
    if (table !== 'operators' || !this.env) return;
    for (const record of await operatorsFromFeed(this.env.pool, rows)) {
      if (this.queue.isOurs(record.id)) {
        this.passedOver.add(record.id);
        continue;
      }
      this.queue.known(record.id);
      const outcome = applyReplicatedOperator(this.core.context, record);
      if (outcome === 'applied') this.counters.applied += 1;
      else if (outcome !== 'unchanged') this.refusedOnce('down', record.id, outcome);
    }
  }

  /** The warehouse's current rows of operators passed over meanwhile (the last write, ours or a later one). */
  private readPassedOver(): void {
    const env = this.env;
    if (!env || this.passedOver.size === 0) return;
    const ids = [...this.passedOver];
    this.passedOver = new Set();
    void env.pool
      .query('SELECT * FROM operators WHERE operator_id = ANY($1)', [ids])
      .then((result) => this.apply('operators', result.rows as FeedRow[]))
      .catch((error: unknown) => {
        for (const id of ids) this.passedOver.add(id);
        env.logger.warn('warehouse: reading operators again failed; read on the next push', { error: String(error) });
      });
  }

  private async push(changed: ReadonlySet<string>, initial: ReadonlySet<string>): Promise<void> {
    const env = this.env!;
    const outcomes = await inTransaction(env.pool, async (client) => {
      const done: [string, OperatorPushOutcome][] = [];
      for (const id of [...initial, ...changed]) {
        if (!isShareableOperatorId(id)) continue;
        const record = exportOperator(this.core.context, id);
        if (!record) continue;
        if (!changed.has(id)) {
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
