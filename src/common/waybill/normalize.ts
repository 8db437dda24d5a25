// Turns whatever a scanner or a person typed into a bare waybill number (steps of docs/waybill-numbers.md), or says why not.
import { CONFIDENCES, matchingRules } from './rules';

/** Longer input is refused outright: no barcode or courier QR payload comes near it. */
export const MAX_RAW_SCAN_LENGTH = 2048;
/** Longest normalized value still taken for a waybill (KY, the longest known shape, has 26 characters). */
export const MAX_WAYBILL_LENGTH = 40;

export const SCAN_SOURCES = ['plain', 'sf-qr', 'ems-qr', 'url', 'json'] as const;
export type ScanSource = (typeof SCAN_SOURCES)[number];

export const NORMALIZE_NOTES = [
  'unicode_normalized',
  'control_chars_removed',
  'aim_prefix_removed',
  'sf_qr_unwrapped',
  'ems_qr_unwrapped',
  'token_extracted',
  'parcel_suffix_removed',
  'separators_removed',
] as const;
export type NormalizeNote = (typeof NORMALIZE_NOTES)[number];

/** Stable codes the renderer translates; `message` next to them is for developers and logs. */
export const REJECT_REASONS = [
  'empty',
  'control_only',
  'too_long',
  'garbled_cjk',
  'sscc_carton',
  'no_waybill_in_payload',
  'invalid_characters',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const REJECT_MESSAGES: Record<RejectReason, string> = {
  empty: 'The scan is empty.',
  control_only: 'The scan held only control characters (scanner suffixes or separators) and no code.',
  too_long: 'The scan is too long to be a waybill number; scan only the waybill barcode.',
  garbled_cjk: 'The scan contains Chinese characters: an input method probably garbled it. Switch the IME to English and scan again.',
  sscc_carton: 'This is an SSCC carton label (00 + 18 digits), not a waybill; scan the courier waybill instead.',
  no_waybill_in_payload: 'The QR code or link holds no recognizable waybill number; scan the waybill barcode instead.',
  invalid_characters: 'The scan contains characters that no waybill number uses; scan again.',
};

export type NormalizeOk = {
  ok: true;
  value: string;
  /** Kuaishou expressCode the payload itself names (SF QR, EMS QR). */
  courierHint?: number;
  source: ScanSource;
  notes: NormalizeNote[];
};
export type NormalizeFail = { ok: false; reason: RejectReason; message: string };
export type NormalizeResult = NormalizeOk | NormalizeFail;

// C0/C1 controls (GS 0x1D, CR, LF, Tab, …) and invisible zero-width characters some scanners or pastes add.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_RE = /[\u0000-\u001F\u007F-\u009F\u200B-\u200D\u2060\uFEFF]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NON_WHITESPACE_CONTROL_RE = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F]/;
// AIM symbology identifier: `]` + symbology letter + modifier (]C0 ]C1 ]Q1 ]Q3 ]d2 ]E0 …).
const AIM_PREFIX_RE = /^\][A-Z][0-9A-Z]/;
const SF_QR_RE = /^MMM\s*=\s*\{([\s\S]*)\}$/;
const SF_QR_K5_RE = /['"]K5['"]\s*:\s*['"]([^'"]*)['"]/;
const EMS_QR_RE = /^HTTPS?:\/\/MINI\.EMS\.COM\.CN\/YOUZHENG\/MINI\/(\d{13})(?:[/?#][\s\S]*)?$/;
const URL_RE = /^[A-Z][A-Z0-9+.-]*:\/\/\S/;
const JSON_RE = /^(\{[\s\S]*\}|\[[\s\S]*\])$/;
const CJK_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303F\uFF00-\uFFEF]/u;
const SEPARATORS_RE = /[\s\-\u2010-\u2015\u2212]/g;
// Parcel (child label) suffixes printed after the master waybill number.
const SUFFIX_RULES: readonly RegExp[] = [
  /^(JD[0-9A-Z]{13})(?:-[0-9A-Z-]*|N\d+S\d+[0-9A-Z-]*)$/, // JDVA00000000001-1-3-… or JDVA00000000001N1S3H…
  /^(DP[A-Z]\d{12})-\d{1,4}$/, // Deppon child label DPK…-2
  /^(KY\d{10,24})-\d{1,8}$/, // KY …-000001
];

function fail(reason: RejectReason): NormalizeFail {
  return { ok: false, reason, message: REJECT_MESSAGES[reason] };
}

function cutSuffix(value: string): string | null {
  for (const rule of SUFFIX_RULES) {
    const m = rule.exec(value);
    if (m) return m[1]!;
  }
  return null;
}

/** Whitespace out, parcel suffix cut, dashes out: the bare candidate value of one token. */
function bare(token: string, notes: Set<NormalizeNote>): string {
  const compact = token.replace(/\s+/g, '');
  if (compact !== token) notes.add('separators_removed');
  const cut = cutSuffix(compact);
  if (cut !== null) notes.add('parcel_suffix_removed');
  const base = cut ?? compact;
  const value = base.replace(SEPARATORS_RE, '');
  if (value !== base) notes.add('separators_removed');
  return value;
}

/** The token of a URL or JSON payload that best matches a known waybill shape, or null. */
function bestToken(payload: string, notes: Set<NormalizeNote>): string | null {
  let best: { value: string; rank: number; notes: Set<NormalizeNote> } | null = null;
  for (const token of payload.split(/[^0-9A-Z-]+/)) {
    if (token.length < 8) continue;
    const tokenNotes = new Set<NormalizeNote>();
    const value = bare(token, tokenNotes);
    const rules = matchingRules(value);
    if (rules.length === 0) continue;
    const rank = Math.min(...rules.map((r) => CONFIDENCES.indexOf(r.confidence)));
    if (best === null || rank < best.rank) best = { value, rank, notes: tokenNotes };
  }
  if (best === null) return null;
  for (const note of best.notes) notes.add(note);
  notes.add('token_extracted');
  return best.value;
}

function finish(value: string, source: ScanSource, notes: Set<NormalizeNote>, courierHint?: number): NormalizeResult {
  if (CJK_RE.test(value)) return fail('garbled_cjk');
  if (value === '') return fail('empty');
  if (value.length > MAX_WAYBILL_LENGTH) return fail('too_long');
  if (/^00\d{18}$/.test(value)) return fail('sscc_carton');
  if (/[^0-9A-Z]/.test(value)) return fail('invalid_characters');
  return {
    ok: true,
    value,
    ...(courierHint === undefined ? {} : { courierHint }),
    source,
    notes: NORMALIZE_NOTES.filter((note) => notes.has(note)),
  };
}

/**
 * Normalizes one scan: NFKC, trim, upper-case; AIM prefix and control characters out; SF QR, EMS QR, URL
 * and JSON payloads unwrapped; parcel suffixes cut; spaces and dashes dropped. Never throws.
 */
export function normalizeScan(raw: string): NormalizeResult {
  if (typeof raw !== 'string') return fail('empty');
  if (raw.length > MAX_RAW_SCAN_LENGTH) return fail('too_long');
  const notes = new Set<NormalizeNote>();

  const nfkc = raw.normalize('NFKC');
  if (nfkc !== raw) notes.add('unicode_normalized');
  const noControls = nfkc.replace(CONTROL_RE, '');
  if (noControls !== nfkc) notes.add('control_chars_removed');
  let s = noControls.trim().toUpperCase();
  if (s === '') return fail(NON_WHITESPACE_CONTROL_RE.test(raw) ? 'control_only' : 'empty');
  if (AIM_PREFIX_RE.test(s)) {
    s = s.slice(3).trim();
    notes.add('aim_prefix_removed');
    if (s === '') return fail('control_only');
  }

  const sf = SF_QR_RE.exec(s);
  if (sf) {
    const k5 = SF_QR_K5_RE.exec(sf[1]!)?.[1]?.trim();
    if (!k5) return fail('no_waybill_in_payload');
    notes.add('sf_qr_unwrapped');
    return finish(bare(k5, notes), 'sf-qr', notes, 4);
  }
  const ems = EMS_QR_RE.exec(s);
  if (ems) {
    notes.add('ems_qr_unwrapped');
    return finish(ems[1]!, 'ems-qr', notes, 2);
  }
  const payloadSource: ScanSource | null = URL_RE.test(s) ? 'url' : JSON_RE.test(s) ? 'json' : null;
  if (payloadSource !== null) {
    const token = bestToken(s, notes);
    return token === null ? fail('no_waybill_in_payload') : finish(token, payloadSource, notes);
  }
  return finish(bare(s, notes), 'plain', notes);
}

/** The index key of a waybill: the scan normalizer's value, so a scan and a stored number meet (cache, index, outbox). */
export function waybillKey(expressNo: string): string {
  const result = normalizeScan(expressNo);
  return result.ok ? result.value : expressNo.trim().toUpperCase();
}
