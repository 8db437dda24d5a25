// Turns any failure of a DeskApi call into words for the operator (and its code for logic).
import { DeskError, deskReasonOf, type DeskReason, type ErrorCode } from '../../../shared/contract';

type Translate = (key: string, params?: Record<string, unknown>) => string;

export function errorCode(error: unknown): ErrorCode {
  return error instanceof DeskError ? error.code : 'internal';
}

export function errorText(t: Translate, error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return t(`errors.${code}`, { message });
}

/** `details.reason` of a DeskError, when the core gave one of the contract's typed vocabulary. */
export function errorReason(error: unknown): DeskReason | null {
  return error instanceof DeskError ? deskReasonOf(error.details) : null;
}

/** The core ended the session: the session store already sent the desk to sign-in and said why; say nothing more. */
export function sessionGone(error: unknown): boolean {
  return errorCode(error) === 'not_signed_in';
}
