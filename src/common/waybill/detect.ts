// Guesses the courier of a normalized waybill from the rules table, and classifies a raw scan for the desk.
import { courierByCode } from '../couriers';
import { checkDigitValidators } from './check-digits';
import { normalizeScan, type NormalizeResult } from './normalize';
import { CONFIDENCES, matchingRules, type Confidence } from './rules';

/** Stable codes: why a courier is offered (the renderer translates them). */
export const CANDIDATE_REASONS = [
  'payload_hint', // the QR payload itself names the courier
  'shape_match', // the courier's own format
  'check_digit_valid', // format plus a passing S10 check digit
  'check_digit_invalid', // format, but the check digit fails: likely a misread or another courier
  'legacy_shape', // an older, weaker format
  'ambiguous_shape', // a format several couriers share (12-digit numerics)
  'related_courier', // another Kuaishou code of the same company
] as const;
export type CandidateReason = (typeof CANDIDATE_REASONS)[number];

export interface CourierCandidate {
  courierCode: number;
  courierName: string;
  confidence: Confidence;
  reason: CandidateReason;
  /** The rule that produced it (see rules.ts), or 'hint' for a payload hint. */
  ruleId: string;
}

const rank = (c: Confidence) => CONFIDENCES.indexOf(c);

function candidate(courierCode: number, confidence: Confidence, reason: CandidateReason, ruleId: string): CourierCandidate {
  return { courierCode, courierName: courierByCode(courierCode)?.name ?? String(courierCode), confidence, reason, ruleId };
}

/**
 * Ranked courier candidates for a normalized value: highest confidence first, then rule order; one
 * entry per courier. Empty when no shape is known (warn, do not reject).
 */
export function detectCourier(normalized: string, options: { courierHint?: number } = {}): CourierCandidate[] {
  const found: (CourierCandidate & { order: number })[] = [];
  for (const rule of matchingRules(normalized)) {
    let confidence = rule.confidence;
    let reason: CandidateReason = rule.kind === 'legacy' ? 'legacy_shape' : rule.kind === 'ambiguous' ? 'ambiguous_shape' : 'shape_match';
    if (rule.checkDigit !== undefined) {
      if (checkDigitValidators[rule.checkDigit](normalized)) {
        confidence = 'high';
        reason = 'check_digit_valid';
      } else {
        confidence = 'low';
        reason = 'check_digit_invalid';
      }
    }
    found.push({ ...candidate(rule.courierCode, confidence, reason, rule.id), order: rule.order });
    for (const related of rule.relatedCodes ?? []) {
      found.push({ ...candidate(related, 'low', 'related_courier', rule.id), order: rule.order + 0.5 });
    }
  }
  const hint = options.courierHint;
  if (hint !== undefined && courierByCode(hint) !== undefined) {
    found.push({ ...candidate(hint, 'high', 'payload_hint', 'hint'), order: -1 });
  }
  found.sort((a, b) => rank(a.confidence) - rank(b.confidence) || a.order - b.order);
  const seen = new Set<number>();
  const result: CourierCandidate[] = [];
  for (const { order: _order, ...c } of found) {
    if (seen.has(c.courierCode)) continue;
    seen.add(c.courierCode);
    result.push(c);
  }
  return result;
}

/** Decimal numbers of 15–19 digits may be Kuaishou order or after-sale ids: try them as ids first. */
export function looksLikeId(value: string): boolean {
  return /^[1-9]\d{14,18}$/.test(value);
}

export const SCAN_KINDS = ['waybill', 'maybe_id', 'unknown', 'rejected'] as const;
export type ScanKind = (typeof SCAN_KINDS)[number];

export interface ScanClassification {
  /** 'maybe_id': look it up as order/after-sale id before as a waybill; 'unknown': no known shape (warn only). */
  kind: ScanKind;
  normalized: NormalizeResult;
  candidates: CourierCandidate[];
  idLike: boolean;
}

/** Normalizes a raw scan and says what it looks like: a waybill, a possible id, an unknown shape, or unusable. */
export function classifyScan(raw: string): ScanClassification {
  const normalized = normalizeScan(raw);
  if (!normalized.ok) return { kind: 'rejected', normalized, candidates: [], idLike: false };
  const candidates = detectCourier(normalized.value, normalized.courierHint === undefined ? {} : { courierHint: normalized.courierHint });
  // A QR payload is a waybill by construction; only a bare number can be an id.
  const idLike = normalized.courierHint === undefined && looksLikeId(normalized.value);
  const kind: ScanKind = idLike ? 'maybe_id' : candidates.length > 0 ? 'waybill' : 'unknown';
  return { kind, normalized, candidates, idLike };
}

/**
 * The chosen courier is not among those the number's shape points to (and the shape points to some): the desk
 * warns before uploading, and the core records the warning. An unknown shape is its own warning, not a mismatch.
 */
export function courierMismatch(candidates: readonly { courierCode: number }[], chosenCode: number): boolean {
  return candidates.length > 0 && !candidates.some((c) => c.courierCode === chosenCode);
}
