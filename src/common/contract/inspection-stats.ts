// Inspection outcomes in the statistics: passed / failed, and failed by reason, over a date range.
import { z } from 'zod';
import { inspectionResultSchema, isFailedInspection, type InspectionResult } from './inspection';

const countSchema = z.number().int().nonnegative();

export const inspectionOutcomesSchema = z.object({
  total: countSchema,
  passed: countSchema,
  failed: countSchema,
  /** Every result, zero included, so the screen and the exports always list the same rows. */
  byResult: z.record(inspectionResultSchema, countSchema),
});
export type InspectionOutcomes = z.infer<typeof inspectionOutcomesSchema>;

/** The results that count as failed, in the order the desk offers them. */
export const FAILED_RESULTS = inspectionResultSchema.options.filter((r) => isFailedInspection(r));

/** Folds raw counts per result (missing ones are zero) into the outcomes the statistics show. */
export function inspectionOutcomes(raw: Partial<Record<string, number>>): InspectionOutcomes {
  const byResult = Object.fromEntries(inspectionResultSchema.options.map((r) => [r, raw[r] ?? 0])) as Record<InspectionResult, number>;
  const failed = FAILED_RESULTS.reduce((sum, r) => sum + byResult[r], 0);
  return { total: byResult.passed + failed, passed: byResult.passed, failed, byResult };
}
