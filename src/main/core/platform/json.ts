// Lossless JSON for the wire: 64-bit ids arrive as decimal strings and leave as bare JSON numbers, never via a JS number.
import { isSafeNumber, LosslessNumber, parse, stringify } from 'lossless-json';

/**
 * Parses a response body. Numbers that a JS number holds exactly become numbers; any other number
 * (an id above 2^53, a long decimal) is kept as its decimal text, so no digit is ever lost.
 */
export function parseWire(text: string): unknown {
  return parse(text, null, (value: string) => (isSafeNumber(value) ? Number(value) : value));
}

const DECIMAL_ID = /^(0|[1-9]\d{0,19})$/;

/** Marks a decimal-string id so that it is written as a bare JSON number in `param`. */
export function wireId(id: string): LosslessNumber {
  if (!DECIMAL_ID.test(id)) throw new TypeError(`not a decimal id: ${JSON.stringify(id).slice(0, 40)}`);
  return new LosslessNumber(id);
}

/** Serializes business parameters into the one `param` string that is both signed and sent. */
export function stringifyParam(param: Record<string, unknown>): string {
  const text = stringify(param);
  if (text === undefined) throw new TypeError('param is not serializable');
  return text;
}
