// Known waybill shapes (docs/waybill-numbers.md) kept as data, so drifting formats are fixed here and not in code.
import { z } from 'zod';

export const CONFIDENCES = ['high', 'medium', 'low'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export const CHECK_DIGITS = ['s10', 'ems13'] as const;
export type CheckDigitName = (typeof CHECK_DIGITS)[number];

/** 'shape': the courier's own format; 'legacy': an older, weaker format; 'ambiguous': shared by several couriers. */
export const RULE_KINDS = ['shape', 'legacy', 'ambiguous'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const waybillRuleSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  /** Kuaishou expressCode; 9999 (其他) for a known shape of a courier Kuaishou does not list. */
  courierCode: z.number().int().positive(),
  /** Other Kuaishou codes of the same company, offered as low-confidence alternatives. */
  relatedCodes: z.array(z.number().int().positive()).optional(),
  /** Anchored regular expression source, matched against the normalized (upper-case) value. */
  pattern: z.string().startsWith('^').endsWith('$'),
  confidence: z.enum(CONFIDENCES),
  kind: z.enum(RULE_KINDS),
  checkDigit: z.enum(CHECK_DIGITS).optional(),
  /** English description for developers and logs. */
  label: z.string().min(1),
});
export type WaybillRule = z.infer<typeof waybillRuleSchema>;

// Order matters: among candidates of equal confidence, earlier rules rank first.
const ruleData: WaybillRule[] = [
  { id: 'sf', courierCode: 4, pattern: '^SF\\d{13}$', confidence: 'high', kind: 'shape', label: 'SF Express' },
  {
    id: 'jd',
    courierCode: 14,
    relatedCodes: [136, 137],
    pattern: '^JD[0-9A-Z]{13}$',
    confidence: 'high',
    kind: 'shape',
    label: 'JD Logistics',
  },
  { id: 'jt', courierCode: 109, pattern: '^JT\\d{13}$', confidence: 'high', kind: 'shape', label: 'J&T Express' },
  {
    id: 'yunexpress',
    courierCode: 9999,
    pattern: '^YT\\d{16}$',
    confidence: 'medium',
    kind: 'shape',
    label: 'YunExpress (云途) international number: YT + 16 digits, not YTO',
  },
  { id: 'yto', courierCode: 6, pattern: '^YT\\d{13}$', confidence: 'high', kind: 'shape', label: 'YTO Express' },
  {
    id: 'deppon',
    courierCode: 53,
    relatedCodes: [17],
    pattern: '^DP[A-Z]\\d{12}$',
    confidence: 'high',
    kind: 'shape',
    label: 'Deppon (DPK...)',
  },
  {
    id: 's10',
    courierCode: 2,
    pattern: '^[A-Z]{2}\\d{9}[A-Z]{2}$',
    confidence: 'high',
    kind: 'shape',
    checkDigit: 's10',
    label: 'EMS / UPU S10 international',
  },
  { id: 'zjs', courierCode: 10, pattern: '^ZJS\\d{12}$', confidence: 'medium', kind: 'shape', label: 'ZJS Express' },
  { id: 'ky', courierCode: 25, pattern: '^KY\\d{10,24}$', confidence: 'medium', kind: 'shape', label: 'KY Express' },
  { id: 'zto', courierCode: 9, pattern: '^7[3-68]\\d{12}$', confidence: 'medium', kind: 'shape', label: 'ZTO Express, 14 digits' },
  { id: 'sto', courierCode: 3, pattern: '^77\\d{13}$', confidence: 'medium', kind: 'shape', label: 'STO Express, 15 digits' },
  { id: 'yunda', courierCode: 11, pattern: '^[34]\\d{14}$', confidence: 'medium', kind: 'shape', label: 'Yunda, 15 digits' },
  {
    id: 'ems-domestic',
    courierCode: 2,
    pattern: '^1\\d{12}$',
    confidence: 'medium',
    kind: 'shape',
    checkDigit: 'ems13',
    label: 'EMS domestic, 13 digits with S10 check digit',
  },
  { id: 'post-parcel', courierCode: 8, pattern: '^9\\d{12}$', confidence: 'medium', kind: 'shape', label: 'China Post parcel' },
  { id: 'sto-14', courierCode: 3, pattern: '^77\\d{12}$', confidence: 'low', kind: 'legacy', label: 'STO Express, 14 digits' },
  { id: 'yunda-13', courierCode: 11, pattern: '^\\d{13}$', confidence: 'low', kind: 'legacy', label: 'Yunda legacy, 13 digits' },
  // 12-digit numerics are shared by several couriers: a ranked list, most likely first.
  { id: 'sf-12', courierCode: 4, pattern: '^\\d{12}$', confidence: 'low', kind: 'ambiguous', label: 'SF Express legacy, 12 digits' },
  { id: 'ane-12', courierCode: 40, pattern: '^\\d{12}$', confidence: 'low', kind: 'ambiguous', label: 'ANE Express, 12 digits' },
  { id: 'ane-freight-12', courierCode: 43, pattern: '^\\d{12}$', confidence: 'low', kind: 'ambiguous', label: 'ANE freight, 12 digits' },
  { id: 'uc-12', courierCode: 15, pattern: '^\\d{12}$', confidence: 'low', kind: 'ambiguous', label: 'UC Express, 12 digits' },
];

export interface CompiledRule extends WaybillRule {
  regex: RegExp;
  /** Position in the table; the tie-break between candidates of equal confidence. */
  order: number;
}

export function compileRules(data: unknown): CompiledRule[] {
  const rules = z.array(waybillRuleSchema).parse(data);
  return rules.map((rule, order) => ({ ...rule, regex: new RegExp(rule.pattern), order }));
}

export const waybillRules: readonly CompiledRule[] = compileRules(ruleData);

/** Rules whose shape matches a normalized value, in table order. */
export function matchingRules(value: string): CompiledRule[] {
  return waybillRules.filter((rule) => rule.regex.test(value));
}
