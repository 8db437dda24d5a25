// Reading the business `param` JSON strictly: parsed losslessly so 64-bit ids never pass through a JS number.
import { isLosslessNumber, parse } from 'lossless-json';
import { ApiError, CODE } from './envelope';

export type Param = Record<string, unknown>;

export function bad(message: string, sub = 'INVALID_PARAM'): ApiError {
  return new ApiError(CODE.PARAM_INVALID, `参数错误: ${message}`, sub, message);
}

export function parseParam(text: string): Param {
  let value: unknown;
  try {
    value = parse(text);
  } catch {
    throw bad('param must be a JSON string', 'INVALID_PARAM_JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad('param must be a JSON object', 'INVALID_PARAM_JSON');
  return value as Param;
}

/** A 64-bit id: a bare JSON integer (preferred) or a decimal string (Jackson coerces it too). */
export function idParam(p: Param, key: string): string;
export function idParam(p: Param, key: string, optional: true): string | undefined;
export function idParam(p: Param, key: string, optional = false): string | undefined {
  const v = p[key];
  if (v === undefined || v === null) {
    if (optional) return undefined;
    throw bad(`${key} is required`);
  }
  const text = isLosslessNumber(v) ? v.value : typeof v === 'string' ? v : null;
  if (text === null || !/^[1-9]\d{0,18}$/.test(text) || BigInt(text) > 9_223_372_036_854_775_807n)
    throw bad(`${key} must be a positive 64-bit integer`);
  return text;
}

export function intParam(p: Param, key: string): number | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  const text = isLosslessNumber(v) ? v.value : typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
  if (text === null || !/^-?\d+$/.test(text)) throw bad(`${key} must be an integer`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw bad(`${key} is out of range`);
  return n;
}

export function requiredInt(p: Param, key: string): number {
  const n = intParam(p, key);
  if (n === undefined) throw bad(`${key} is required`);
  return n;
}

export function strParam(p: Param, key: string): string | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw bad(`${key} must be a string`);
  return v;
}

export function strArrayParam(p: Param, key: string): string[] | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw bad(`${key} must be an array of strings`);
  return v as string[];
}

/** A plain copy of a param object for the write log: safe integers as numbers, 64-bit ids as decimal strings. */
export function plainParam(p: Param): Record<string, unknown> {
  return plain(p) as Record<string, unknown>;
}

function plain(v: unknown): unknown {
  if (isLosslessNumber(v)) {
    const n = Number(v.value);
    return Number.isSafeInteger(n) ? n : v.value;
  }
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}
