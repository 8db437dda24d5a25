// Operators and roles shared through the warehouse: what is made or changed at this desk goes up (last writer wins, by
// the warehouse's change sequence); what any desk wrote comes down into this desk's SQLite, so one sign-in works everywhere.
import type { Core } from '../../core/core';
import { onLocalChange } from '../../core/kernel/local-changes';
import { applyReplicatedOperator, exportOperator, replicaOperatorIds, type OperatorApplyOutcome } from '../../core/replica/operators';
import type { FeedRow, FeedTable } from '../change-feed';
import { inTransaction } from '../pool';
import { isShareableOperatorId, operatorsFromFeed, pushOperator, type OperatorPushOutcome } from './directory-store';
import type { LinkEnv } from './link';
import { QueuedPart, type QueuedPartOptions } from './queued-part';

export class DirectoryPart extends QueuedPart {
  readonly name = 'directory';
  /** Only operators: a custom role travels with its operator (read by id from `roles` when the operator comes down). */
  readonly feeds: readonly FeedTable[] = ['operators'];
  private readonly logged = new Set<string>();

  constructor(
    private readonly core: Core,
    options: QueuedPartOptions = {},
  ) {
    super(core, 'operators', options);
    this.follow(onLocalChange(core.context, 'operators', (ids) => this.queue.changed(ids)));
  }

  start(env: LinkEnv): void {
    this.env = env;
    this.queue.held(replicaOperatorIds(this.core.context).filter(isShareableOperatorId));
    this.queue.start();
  }

  async apply(table: FeedTable, rows: FeedRow[]): Promise<void> {
    if (table !== 'operators' || !this.env) return;
    for (const record of await operatorsFromFeed(this.env.pool, rows)) {
      if (this.passesOver(record.id)) continue;
      const outcome = applyReplicatedOperator(this.core.context, record);
      if (outcome === 'applied') this.counters.applied += 1;
      else if (outcome !== 'unchanged') this.refusedOnce('down', record.id, outcome);
    }
  }

  protected async currentRows(ids: string[]): Promise<FeedRow[]> {
    return (await this.env!.pool.query('SELECT * FROM operators WHERE operator_id = ANY($1)', [ids])).rows as FeedRow[];
  }

  protected async push(changed: ReadonlySet<string>, initial: ReadonlySet<string>): Promise<void> {
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
export function directoryPart(core: Core, options?: QueuedPartOptions): DirectoryPart {
  return new DirectoryPart(core, options);
}
