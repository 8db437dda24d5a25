// Response envelopes and the simulator's error codes; ids leave as bare JSON numbers via lossless-json.
import { LosslessNumber, stringify } from 'lossless-json';
import { randomUUID } from 'node:crypto';

/**
 * Gateway codes the platform does not document are the simulator's choice (see docs/simulator.md).
 * Business codes (3000xx, 21, 24) are the documented ones.
 */
export const CODE = {
  APPKEY_INVALID: 10,
  PARAM_INVALID: 11,
  METHOD_NOT_ALLOWED: 12,
  QPS_LIMIT: 16,
  QUOTA_LIMIT: 1017,
  ORDER_REJECT: 21,
  AUTHORIZATION_REVOKED: 24,
  TOKEN_INVALID: 25,
  SIGN_INVALID: 28,
  WRONG_REFUND_TYPE: 300002,
  END_BEFORE_BEGIN: 300003,
  RANGE_TOO_LARGE: 300004,
  TOO_OLD: 300005,
  STATUS_NO_REFUND: 300010,
  NOT_FOUND: 300011,
  BUYER_CANCELLED: 300013,
  REFUND_UPDATED: 300014,
  STATUS_NOT_ALLOWED: 300018,
} as const;

export class ApiError extends Error {
  constructor(
    readonly result: number,
    message: string,
    readonly subCode?: string,
    readonly subMsg?: string,
  ) {
    super(message);
  }
}

export function requestId(): string {
  return randomUUID().replace(/-/g, '');
}

/** Wraps a decimal id so lossless-json writes it as a bare number. */
export function num(id: string): LosslessNumber {
  return new LosslessNumber(id);
}

/** Writes answer only the envelope (no `data`). */
export function successBody(data: unknown): string {
  const body: Record<string, unknown> = { result: 1, error_msg: 'SUCCESS', code: '0', msg: 'success' };
  if (data !== undefined) body.data = data;
  body.requestId = requestId();
  return toJson(body);
}

/**
 * Errors: `result` and `code` carry the same number (code as a string); business errors add a symbolic
 * `sub_code` and a detailed `sub_msg`. No `data`.
 */
export function errorBody(e: ApiError): string {
  const body: Record<string, unknown> = { result: e.result, error_msg: e.message, code: String(e.result), msg: e.message };
  if (e.subCode) body.sub_code = e.subCode;
  if (e.subMsg) body.sub_msg = e.subMsg;
  body.requestId = requestId();
  return toJson(body);
}

export function toJson(value: unknown): string {
  return stringify(value) ?? 'null';
}
