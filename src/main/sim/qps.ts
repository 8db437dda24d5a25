// Per-API QPS limit over a sliding one-second window of real (monotonic) time, like the platform gateway.

export class QpsLimiter {
  private readonly hits = new Map<string, number[]>();
  constructor(
    public max: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** True when the call may proceed (and counts it). */
  take(key: string): boolean {
    const now = this.clock();
    const list = this.hits.get(key) ?? [];
    while (list.length > 0 && list[0]! <= now - 1000) list.shift();
    if (list.length >= this.max) {
      this.hits.set(key, list);
      return false;
    }
    list.push(now);
    this.hits.set(key, list);
    return true;
  }
}
