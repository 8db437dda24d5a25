// Local changes to the operator directory (an operator made, changed, its PIN set): a hook an outer layer follows to share them.
import type { CoreContext } from '../context/context';

type Listener = (operatorIds: readonly string[]) => void;

// Keyed by the core's event bus, so each core (several run in one test process) has its own listeners.
const listeners = new WeakMap<CoreContext['events'], Set<Listener>>();

/** Called by the core after it committed a change to operators made at this desk (never for rows applied from elsewhere). */
export function noteOperatorsChanged(ctx: Pick<CoreContext, 'events'>, operatorIds: readonly string[]): void {
  for (const listener of listeners.get(ctx.events) ?? []) listener(operatorIds);
}

/** Follows this desk's own operator changes; returns the unsubscribe function. */
export function onOperatorsChanged(ctx: Pick<CoreContext, 'events'>, listener: Listener): () => void {
  const set = listeners.get(ctx.events) ?? new Set<Listener>();
  listeners.set(ctx.events, set);
  set.add(listener);
  return () => set.delete(listener);
}
