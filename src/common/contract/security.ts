// Contract of the desk's own integrity checks: the audit log's hash chain, verified at start and on demand.
import { z } from 'zod';
import { defineMethods } from './define';
import { epochMsSchema } from './ids';

export const auditChainCheckSchema = z.object({
  ok: z.boolean(),
  /** Entries found in order before the first bad one (all of them when ok). */
  checked: z.number().int().nonnegative(),
  firstBadId: z.number().int().nullable(),
  reason: z.string().nullable(),
  verifiedAt: epochMsSchema,
});
export type AuditChainCheck = z.infer<typeof auditChainCheckSchema>;

export const securityMethods = defineMethods({
  'audit.verify': {
    permission: 'manage_operators',
    changesState: false,
    input: z.object({}).strict(),
    output: z.object({ now: auditChainCheckSchema, atStart: auditChainCheckSchema.nullable() }).strict(),
  },
});
