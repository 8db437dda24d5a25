// Local changes an outer layer shares (warehouse mode): the core reports what it changed at this desk, by kind and key.
import type { EventBus } from './event-bus';

/** operators: operator ids; settings: desk setting names. */
export type LocalChangeKind = 'operators' | 'settings';
type Listener = (keys: readonly string[]) => void;

// Keyed by the core's event bus, so each core (several run in one test process) has its own listeners.
const listeners = new WeakMap<EventBus, Map<LocalChangeKind, Set<Listener>>>();

/** Called by the core after it committed a change made at this desk (never for rows applied from elsewhere). */
export function noteLocalChange(ctx: { events: EventBus }, kind: LocalChangeKind, keys: readonly string[]): void {
  if (keys.length === 0) return;
  for (const listener of listeners.get(ctx.events)?.get(kind) ?? []) listener(keys);
}

/** Follows this desk's own changes of one kind; returns the unsubscribe function. */
export function onLocalChange(ctx: { events: EventBus }, kind: LocalChangeKind, listener: Listener): () => void {
  const byKind = listeners.get(ctx.events) ?? new Map<LocalChangeKind, Set<Listener>>();
  listeners.set(ctx.events, byKind);
  const set = byKind.get(kind) ?? new Set<Listener>();
  byKind.set(kind, set);
  set.add(listener);
  return () => set.delete(listener);
}
