// Turns any failure of a DeskApi call into words for the operator (and its code for logic).
import { DeskError, deskReasonOf, type DeskReason, type ErrorCode } from '../../../common/contract';

type Translate = (key: string, params?: Record<string, unknown>) => string;

export function errorCode(error: unknown): ErrorCode {
  return error instanceof DeskError ? error.code : 'internal';
}

/** Whether the failure is the core's answer (a typed DeskError), not the page's own (a camera, a decoder). */
export function fromTheCore(error: unknown): boolean {
  return error instanceof DeskError;
}

/** The operator's words for a failure, from its typed code alone: call it at display time so it follows the language. */
export function errorText(t: Translate, error: unknown): string {
  return t(`errors.${errorCode(error)}`);
}

/** Codes whose message is worth showing as a secondary detail: the platform's own words, or what the input broke. */
const DETAILED_CODES: readonly ErrorCode[] = [
  'platform_rejected',
  'invalid_input',
  'conflict',
  'invalid_state',
  'warehouse_config_invalid',
];

/** The platform's (or the core's) own text behind a failure, for a small secondary line; null when it adds nothing. */
export function errorDetail(error: unknown): string | null {
  return error instanceof DeskError ? detailOf(error) : null;
}

/** The same for a failure that arrived as plain data (a batch item's `{ code, message }`). */
export function detailOf(failure: { code: string; message: string }): string | null {
  return (DETAILED_CODES as readonly string[]).includes(failure.code) ? failure.message.trim() || null : null;
}

/** `details.reason` of a DeskError, when the core gave one of the contract's typed vocabulary. */
export function errorReason(error: unknown): DeskReason | null {
  return error instanceof DeskError ? deskReasonOf(error.details) : null;
}

/** The core ended the session: the session store already sent the desk to sign-in and said why; say nothing more. */
export function sessionGone(error: unknown): boolean {
  return errorCode(error) === 'not_signed_in';
}
