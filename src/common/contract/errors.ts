// The stable error codes every DeskApi call may answer with, and the typed error that carries them.
export const ERROR_CODES = {
  invalid_input: 'The input does not match the method schema; details.issues names the offending paths.',
  unknown_method: 'No method of that name exists in the contract.',
  unauthorized: 'The browser-host token is missing or wrong.',
  not_signed_in: 'The call needs a signed-in operator.',
  forbidden: 'The signed-in operator lacks the permission this action needs.',
  not_found: 'The thing asked for does not exist.',
  conflict: 'The action collides with the current state (already done, changed meanwhile).',
  invalid_state: 'The after-sale is not in a state that allows this action.',
  platform_rejected: 'Kuaishou refused the request; details carry its code, message and requestId.',
  platform_unavailable: 'Kuaishou (or the simulator) could not be reached.',
  needs_reauthorization: 'The shop authorization is expired or revoked; connect the shop again.',
  rate_limited: 'Too many calls; retry later.',
  database_too_new: 'The local database was written by a newer ReturnDesk; refusing to touch it.',
  payload_too_large: 'The request body exceeds the allowed size.',
  internal: 'An unexpected failure inside ReturnDesk; see the log.',
  warehouse_config_invalid: 'The warehouse connection settings are not valid (URL, TLS mode or CA certificate); nothing was saved.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
export const errorCodes = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

export class DeskError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'DeskError';
    this.code = code;
    this.details = details;
  }
}

export function isDeskError(value: unknown): value is DeskError {
  return value instanceof DeskError;
}
