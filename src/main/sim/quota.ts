// The app's daily call quota (kuaishou.md §3): counted per app over one platform day (Beijing time), off by default.

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
  private used = 0;

  /** `limit` null = unlimited (the default): calls are still counted. */
  constructor(public limit: number | null) {}

  /** Counts one call for the day of `now`; false (and not counted) when the day's quota is used up. */
  take(now: number): boolean {
    this.roll(now);
    if (this.limit !== null && this.used >= this.limit) return false;
    this.used += 1;
    return true;
  }

  /** A new day starts now: the count goes back to zero (the platform's midnight, brought forward). */
  resetDay(now: number): void {
    this.day = platformDay(now);
    this.used = 0;
  }

  state(now: number): { dailyQuota: number | null; used: number; day: string } {
    this.roll(now);
    return { dailyQuota: this.limit, used: this.used, day: platformDayText(this.day ?? platformDay(now)) };
  }

  private roll(now: number): void {
    const day = platformDay(now);
    // Only forward: a test clock moved back does not hand out a second allowance for the same day.
    if (this.day === null || day > this.day) {
      this.day = day;
      this.used = 0;
    }
  }
}

export function validateQuota(limit: number | null | undefined): number | null {
  if (limit === null || limit === undefined) return null;
  if (!Number.isInteger(limit) || limit < 0)
    throw new Error(`dailyQuota must be a whole number >= 0 (or null for unlimited), got ${limit}`);
  return limit;
}
