// Pure formatting for the desk: money in fen, time left before a deadline, known status codes. No DOM, no i18n runtime.
import { ALL_HANDLING_WAYS, ALL_STATUSES } from '../../../common/desk';

/** Fen (integer) to "¥123.45"; negative amounts keep their sign. */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export interface TimeLeft {
  /** i18n key under `time.` */
  key: 'overdue' | 'days' | 'hours' | 'minutes' | 'none';
  params: Record<string, number>;
  urgent: boolean;
}

/** How long until the platform's deadline, coarse enough to read at a glance. */
export function timeLeft(deadline: number | null, now: number): TimeLeft {
  if (deadline === null) return { key: 'none', params: {}, urgent: false };
  const ms = deadline - now;
  if (ms <= 0) return { key: 'overdue', params: {}, urgent: true };
  const minutes = Math.floor(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  if (hours >= 48) return { key: 'days', params: { days: Math.floor(hours / 24), hours: hours % 24 }, urgent: false };
  if (hours >= 1) return { key: 'hours', params: { hours, minutes: minutes % 60 }, urgent: hours < 24 };
  return { key: 'minutes', params: { minutes }, urgent: true };
}

/** Status codes (docs/platform.md, "Status codes and enumerations") that have a translated name; others are shown verbatim. */
export const KNOWN_STATUSES: readonly number[] = ALL_STATUSES;
export const KNOWN_HANDLING_WAYS: readonly number[] = ALL_HANDLING_WAYS;
export const RETURN_FREIGHT_STATUSES = [10, 20, 30, 40, 50] as const;

export function statusKey(status: number): string | null {
  return (KNOWN_STATUSES as readonly number[]).includes(status) ? `platform.status.s${status}` : null;
}

/** The status in words where it has a name, else its number: the queue's column and status filter. */
export function statusName(t: (key: string) => string, status: number): string {
  const key = statusKey(status);
  return key ? t(key) : String(status);
}

export function handlingWayKey(way: number): string | null {
  return (KNOWN_HANDLING_WAYS as readonly number[]).includes(way) ? `platform.handlingWay.h${way}` : null;
}

/** Seconds left (rounded up) of an undo window; 0 once it closed. */
export function secondsLeft(until: number, now: number): number {
  return Math.max(0, Math.ceil((until - now) / 1000));
}
