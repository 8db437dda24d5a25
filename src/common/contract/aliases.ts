// Contract of local waybill aliases: the label on the parcel in hand → this after-sale, at this desk only.
import { z } from 'zod';
import { defineMethods } from './define';
import { decimalIdSchema, epochMsSchema, scanIdSchema } from './ids';

export const waybillAliasSchema = z.object({
  refundId: decimalIdSchema,
  expressNo: z.string(), // normalized, as a scan of the label finds it
  operatorName: z.string().nullable(),
  createdAt: epochMsSchema,
});
export type WaybillAlias = z.infer<typeof waybillAliasSchema>;

export const aliasMethods = defineMethods({
  /**
   * For a return the platform no longer takes a waybill for (22, 40) whose parcel carries another label than the
   * one on record: the label scans to this after-sale from now on. Audited; no platform call.
   */
  'waybills.alias': {
    permission: 'agree_refund',
    changesState: true,
    input: z
      .object({
        refundId: decimalIdSchema,
        expressNo: z.string().min(1).max(2048),
        scanId: scanIdSchema.optional(),
      })
      .strict(),
    output: waybillAliasSchema,
  },
});
