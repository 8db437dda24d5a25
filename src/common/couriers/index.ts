// The Kuaishou courier table (expressCode) as validated, typed data, with lookup and ranked search for pickers.
import { z } from 'zod';
import rawTable from './kuaishou-express-codes.json';
import { courierPinyin } from './pinyin';

const courierEntrySchema = z.object({
  code: z.number().int().positive(),
  name: z.string().min(1),
  en: z.string().min(1).optional(),
  aliases: z.array(z.string().min(1)).optional(),
});

export const courierTableSchema = z
  .object({
    source: z.string(),
    note: z.string(),
    couriers: z.array(courierEntrySchema).min(1),
  })
  .superRefine((table, ctx) => {
    const seen = new Set<number>();
    table.couriers.forEach((courier, index) => {
      if (seen.has(courier.code)) {
        ctx.addIssue({ code: 'custom', path: ['couriers', index, 'code'], message: `duplicate code ${courier.code}` });
      }
      seen.add(courier.code);
    });
  });

export interface Courier {
  /** Kuaishou expressCode (refund returnInfo / logisticsInfo); not the e-waybill string codes. */
  code: number;
  name: string;
  en?: string;
  aliases: readonly string[];
  pinyin?: { initials: string; full: string };
}

export type CourierMatchField = 'code' | 'name' | 'alias' | 'en' | 'pinyin';

export interface CourierMatch {
  courier: Courier;
  /** Higher is better; only meaningful for ordering. */
  score: number;
  matchedOn: CourierMatchField;
}

/** Parses the shipped table; throws (at module load, so tests catch it) if the data file is broken. */
export function parseCourierTable(data: unknown): Courier[] {
  const table = courierTableSchema.parse(data);
  const pinyinByCode = new Map(courierPinyin.map((p) => [p.code, p]));
  return table.couriers.map((entry) => {
    const p = pinyinByCode.get(entry.code);
    return {
      code: entry.code,
      name: entry.name,
      ...(entry.en === undefined ? {} : { en: entry.en }),
      aliases: entry.aliases ?? [],
      ...(p === undefined ? {} : { pinyin: { initials: p.initials, full: p.full } }),
    };
  });
}

export const couriers: readonly Courier[] = parseCourierTable(rawTable);

const byCode = new Map(couriers.map((c) => [c.code, c]));

/** The courier with this Kuaishou expressCode (number or decimal string), or undefined. */
export function courierByCode(code: number | string): Courier | undefined {
  const n = typeof code === 'number' ? code : /^\d{1,6}$/.test(code.trim()) ? Number(code.trim()) : NaN;
  return byCode.get(n);
}

// Tie-break: the hand-kept popularity order of the pinyin list, then couriers with aliases, then by code.
const popularity = new Map(courierPinyin.map((p, index) => [p.code, index]));
function tieRank(courier: Courier): number {
  return popularity.get(courier.code) ?? (courier.aliases.length > 0 ? 1000 : 2000);
}

function fold(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s·•・.\-_()（）&]+/g, '');
}

function scoreCourier(courier: Courier, q: string): { score: number; matchedOn: CourierMatchField } | null {
  let best: { score: number; matchedOn: CourierMatchField } | null = null;
  const offer = (score: number, matchedOn: CourierMatchField) => {
    if (best === null || score > best.score) best = { score, matchedOn };
  };
  const code = String(courier.code);
  if (/^\d+$/.test(q)) {
    if (code === q) offer(100, 'code');
    else if (code.startsWith(q)) offer(30, 'code');
  }
  const name = fold(courier.name);
  if (name === q) offer(95, 'name');
  else if (name.startsWith(q)) offer(75, 'name');
  else if (name.includes(q)) offer(45, 'name');
  for (const alias of courier.aliases.map(fold)) {
    if (alias === q) offer(95, 'alias');
    else if (alias.startsWith(q)) offer(70, 'alias');
  }
  if (courier.en !== undefined) {
    const en = fold(courier.en);
    if (en === q) offer(90, 'en');
    else if (en.startsWith(q)) offer(65, 'en');
    else if (q.length >= 3 && /[a-z]/.test(q) && en.includes(q)) offer(35, 'en');
  }
  if (courier.pinyin !== undefined) {
    const { initials, full } = courier.pinyin;
    if (initials === q || full === q) offer(85, 'pinyin');
    else if (initials.startsWith(q)) offer(60, 'pinyin');
    else if (q.length >= 2 && full.startsWith(q)) offer(60, 'pinyin');
  }
  return best;
}

/**
 * Couriers matching a query by Chinese name, alias, English name, numeric code or pinyin (initials or full),
 * best first. An empty query matches nothing.
 */
export function searchCouriers(query: string, limit = 20): CourierMatch[] {
  const q = fold(query);
  if (q === '') return [];
  const matches: CourierMatch[] = [];
  for (const courier of couriers) {
    const hit = scoreCourier(courier, q);
    if (hit !== null) matches.push({ courier, ...hit });
  }
  matches.sort((a, b) => b.score - a.score || tieRank(a.courier) - tieRank(b.courier) || a.courier.code - b.courier.code);
  return matches.slice(0, Math.max(0, limit));
}
