// The desk's decisions on a parcel (refused, exchange sent), announced to whoever follows them: the unpacking video
// stops on the decision. A confirm is seen on the desk store itself (confirmedOnCard).
export type Decision = 'refuse' | 'exchange';
type Listener = (refundId: string, decision: Decision) => void;

const listeners = new Set<Listener>();

export function onDecision(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function announceDecision(refundId: string, decision: Decision): void {
  for (const listener of listeners) listener(refundId, decision);
}
