// The `{ok,data} | {ok:false,error}` envelope every call answers with, on every transport.
import { z } from 'zod';
import { DeskError, errorCodes, type ErrorCode } from './errors';

export const errorBodySchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export const envelopeSchema = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: errorBodySchema }),
]);

export function okEnvelope<T>(data: T): Envelope<T> {
  return { ok: true, data };
}

export function errorEnvelope(code: ErrorCode, message: string, details?: unknown): Envelope<never> {
  return details === undefined ? { ok: false, error: { code, message } } : { ok: false, error: { code, message, details } };
}

/** Unwraps an envelope received over a transport, turning an error body back into a DeskError. */
export function unwrapEnvelope<T>(raw: unknown): T {
  const parsed = envelopeSchema.safeParse(raw);
  if (!parsed.success) throw new DeskError('internal', 'Malformed answer from the desk backend');
  if (parsed.data.ok) return parsed.data.data as T;
  const { code, message, details } = parsed.data.error;
  throw new DeskError(code, message, details);
}
