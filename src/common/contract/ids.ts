// Shared scalar schemas: decimal-string ids (Kuaishou ids exceed 2^53), integer fen, epoch ms.
import { z } from 'zod';

/** A positive decimal id as a string; never a JS number, which would lose precision above 2^53. */
export const decimalIdSchema = z.string().regex(/^[1-9]\d{0,19}$/, 'must be a positive decimal id');
export const fenSchema = z.number().int().nonnegative();
export const epochMsSchema = z.number().int().nonnegative();
/** A number exactly as the platform sent it (money in fen, a time in ms): stored and shown as received, even negative. */
export const platformIntSchema = z.number().int();
/** The desk scan an action follows from (the card it was taken on), as scan.lookup answered it. */
export const scanIdSchema = z.string().max(64);
