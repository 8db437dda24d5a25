// Runs a desk action so that a refusal is audited too: who tried what, and why the core said no.
import { isDeskError } from '../../../common/contract/errors';
import { recordAudit } from './audit';
import type { CoreContext } from '../context/context';
import { statement } from '../sql/statements';

export interface ActionRef {
  action: string;
  refundId: string | null;
  scanId?: string | undefined;
}

/** The raw code of the scan an action came from, for the audit entry ("the scanned code"). */
export function scannedCodeOf(ctx: Pick<CoreContext, 'db'>, scanId: string | undefined): string | null {
  if (scanId === undefined) return null;
  return (statement(ctx.db, 'SELECT code FROM desk_scans WHERE id = ?').pluck().get(scanId) as string | undefined) ?? null;
}

export async function audited<T>(ctx: CoreContext, ref: ActionRef, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // Nobody signed in: there is no "who" to record, and nothing was attempted on anyone's behalf.
    if (isDeskError(error) && error.code !== 'not_signed_in') {
      recordAudit(ctx, {
        action: ref.action,
        outcome: `refused:${error.code}`,
        refundId: ref.refundId,
        scannedCode: scannedCodeOf(ctx, ref.scanId),
        details: { message: error.message, ...(error.details === undefined ? {} : { error: error.details }) },
      });
    }
    throw error;
  }
}
