// Waits for the core's next scan.resolved event (a miss found by the background refresh).
import type { EventBus } from '../../src/main/core/kernel/event-bus';
import type { EventPayload } from '../../src/common/contract';

export function nextResolved(events: EventBus, timeoutMs = 20_000): Promise<EventPayload<'scan.resolved'>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('no scan.resolved event'));
    }, timeoutMs);
    const off = events.subscribe((name, payload) => {
      if (name !== 'scan.resolved') return;
      clearTimeout(timer);
      off();
      resolve(payload as EventPayload<'scan.resolved'>);
    });
  });
}
