// The desk's sync gate in warehouse mode: this desk pulls from the platform only the shops whose leadership it holds.
import type { SyncGate } from '../../core/sync/runtime';

/**
 * Given to createCore before the link exists, so the scheduler's first pass already obeys it: until the link
 * has won a shop's leadership the desk pulls nothing and reads the shop's after-sales from the warehouse.
 */
export class LeaderGate implements SyncGate {
  private readonly led = new Set<string>();
  private localOnly: (shopId: string) => boolean = () => false;
  private pullingAlone = false;

  pulls(shopId: string): boolean {
    return this.pullingAlone || this.led.has(shopId) || this.localOnly(shopId);
  }

  /** Whether the desk pulls every shop itself because the warehouse has been out of reach for a while. */
  get alone(): boolean {
    return this.pullingAlone;
  }

  setAlone(alone: boolean): void {
    this.pullingAlone = alone;
  }

  /** Shops this desk keeps to itself and always pulls (the demo shop: every desk has its own demo world). */
  setLocalOnly(predicate: (shopId: string) => boolean): void {
    this.localOnly = predicate;
  }

  open(shopId: string): void {
    this.led.add(shopId);
  }

  close(shopId: string): void {
    this.led.delete(shopId);
  }

  closeAll(): void {
    this.led.clear();
    this.pullingAlone = false;
  }
}
