// The daily call quota (docs/platform.md, "Limits"): counted per API of the app over one platform day (Beijing time), off by default.

const DAY_MS = 86_400_000;
/** The platform's day runs on China Standard Time (UTC+8, no daylight saving). */
const CST_OFFSET_MS = 8 * 3_600_000;

/** The platform day a moment falls in, as a day number (days since 1970-01-01 in UTC+8). */
export function platformDay(now: number): number {
  return Math.floor((now + CST_OFFSET_MS) / DAY_MS);
}

/** `YYYY-MM-DD` of a platform day, for stats and messages. */
export function platformDayText(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export class DailyQuota {
  private day: number | null = null;
  /** Calls counted today, per API method: the platform caps each API on its own ("[1017] …,[apiId:…]"). */
  private readonly used = new Map<string, number>();

  /** `limit` (per API per day) null = unlimited (the default): calls are still counted. */
  constructor(public limit: number | null) {}

  /** Counts one call of `api` for the day of `now`; false (and not counted) when that API's quota is used up. */
  take(now: number, api: string): boolean {
    this.roll(now);
    const used = this.used.get(api) ?? 0;
    if (this.limit !== null && used >= this.limit) return false;
    this.used.set(api, used + 1);
    return true;
  }

  /** A new day starts now: the counts go back to zero (the platform's midnight, brought forward). */
  resetDay(now: number): void {
    this.day = platformDay(now);
    this.used.clear();
  }

  state(now: number): { dailyQuota: number | null; used: number; usedByApi: Record<string, number>; day: string } {
    this.roll(now);
    const usedByApi = Object.fromEntries(this.used);
    const used = [...this.used.values()].reduce((a, b) => a + b, 0);
    return { dailyQuota: this.limit, used, usedByApi, day: platformDayText(this.day ?? platformDay(now)) };
  }

  private roll(now: number): void {
    const day = platformDay(now);
    // Only forward: a test clock moved back does not hand out a second allowance for the same day.
    if (this.day === null || day > this.day) {
      this.day = day;
      this.used.clear();
    }
  }
}

export function validateQuota(limit: number | null | undefined): number | null {
  if (limit === null || limit === undefined) return null;
  if (!Number.isInteger(limit) || limit < 0)
    throw new Error(`dailyQuota must be a whole number >= 0 (or null for unlimited), got ${limit}`);
  return limit;
}
