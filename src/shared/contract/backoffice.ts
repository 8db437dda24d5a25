// Contract of the back office: the audit viewer's search, binding unmatched parcels, the operator's own PIN.
import { z } from 'zod';
import { auditEntrySchema, unmatchedParcelSchema } from './audit';
import { defineMethods } from './define';
import { decimalIdSchema, epochMsSchema } from './ids';

const pinSchema = z.string().regex(/^\d{4,8}$/, 'PIN must be 4 to 8 digits');

export const auditSearchSchema = z
  .object({
    operatorId: z.string().max(64).optional(),
    /** Exact action name (scan, receipt.confirm, operators.save, …). */
    action: z.string().max(64).optional(),
    outcome: z.string().max(64).optional(),
    refundId: decimalIdSchema.optional(),
    from: epochMsSchema.optional(),
    to: epochMsSchema.optional(),
    /** Only entries where an operator went on past a warning (e.g. freight insurance). */
    overriddenOnly: z.boolean().default(false),
    limit: z.number().int().min(1).max(1000).default(200),
    beforeId: z.number().int().optional(),
  })
  .strict();
export type AuditSearch = z.input<typeof auditSearchSchema>;

export const backofficeMethods = defineMethods({
  'audit.search': {
    input: auditSearchSchema,
    output: z.object({ entries: z.array(auditEntrySchema), actions: z.array(z.string()) }),
  },
  'parcels.bind': {
    input: z.object({ parcelId: z.string().min(1).max(64), refundId: decimalIdSchema }).strict(),
    output: unmatchedParcelSchema,
  },
  'operators.changeOwnPin': {
    input: z.object({ currentPin: z.string().max(16), newPin: pinSchema }).strict(),
    output: z.object({ changed: z.literal(true) }),
  },
});
