// Records the SQL a core runs during a call and explains it, so benchmarks and tests can show which indexes are used.
import type Database from 'better-sqlite3';

export interface Executed {
  sql: string;
  args: unknown[];
}

export interface PlanRow {
  id: number;
  parent: number;
  detail: string;
}

const RUNNERS = new Set(['get', 'all', 'run', 'iterate']);

/**
 * Wraps `db.prepare` so every statement run from now on is remembered with its arguments. Install it before the
 * stores prepare their cached statements (a fresh core), since statements prepared earlier are not wrapped.
 */
export function recordStatements(db: Database.Database): { take(): Executed[]; active(on: boolean): void; stop(): void } {
  const original = db.prepare.bind(db);
  let log: Executed[] = [];
  let on = true;
  const wrapped = (source: string) => {
    const statement = original(source);
    const proxy: Database.Statement = new Proxy(statement, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (on && typeof prop === 'string' && RUNNERS.has(prop)) log.push({ sql: source, args });
          const out: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
          // pluck()/raw()/expand() answer the statement itself: keep answering the recording one.
          return out === target ? proxy : out;
        };
      },
    });
    return proxy;
  };
  db.prepare = wrapped as typeof db.prepare;
  return {
    take: () => {
      const out = log;
      log = [];
      return out;
    },
    active: (value) => {
      on = value;
    },
    stop: () => {
      db.prepare = original as typeof db.prepare;
    },
  };
}

export function explain(db: Database.Database, executed: Executed): PlanRow[] {
  return db.prepare(`EXPLAIN QUERY PLAN ${executed.sql}`).all(...(executed.args as never[])) as PlanRow[];
}

/**
 * Partial indexes whose rows are the desk queue (return-and-refund in 22/30/40): walking one costs the queue,
 * a few thousand rows however large the cache grows, so it is not a full scan.
 */
export const QUEUE_BOUNDED_INDEXES = ['after_sales_queue'] as const;

/** Plan lines that read a whole table (or a whole index in order): the thing a lookup must never do. */
export function fullScans(plan: PlanRow[], tables: readonly string[]): string[] {
  return plan
    .map((row) => row.detail)
    .filter((detail) => {
      const match = /^SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?/.exec(detail);
      if (!match || !tables.includes(match[1]!)) return false;
      return !(QUEUE_BOUNDED_INDEXES as readonly string[]).includes(match[2] ?? '');
    });
}

/** Tables the desk reads on its hot paths. */
export const CACHE_TABLES = [
  'after_sales',
  'orders',
  'order_waybills',
  'outbox',
  'desk_scans',
  'unmatched_parcels',
  'operators',
  'a',
  'o',
  'w',
] as const;

/** Distinct statements (by SQL text) that look rows up, in first-run order; plain INSERTs have no plan of interest. */
export function distinctReads(executed: Executed[]): Executed[] {
  const seen = new Set<string>();
  const out: Executed[] = [];
  for (const e of executed) {
    const sql = e.sql.trim();
    if (!/^(SELECT|WITH|UPDATE|DELETE)\b/i.test(sql) || seen.has(sql)) continue;
    seen.add(sql);
    out.push(e);
  }
  return out;
}

export function oneLine(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}
