// Runs one call from any transport: checks the method name, validates input and output, and wraps the result.
import { z } from 'zod';
import {
  DeskError,
  errorEnvelope,
  isDeskError,
  isMethodName,
  methods,
  okEnvelope,
  type Envelope,
  type MethodName,
  type MethodSpec,
} from '../../common/contract';
import { recordAudit } from './audit-log/audit';
import type { CoreContext } from './context/context';
import type { Handler, HandlerMap } from './context/handlers';
import { checkMethodPermission } from './operators/permissions';

export type Dispatch = (method: string, rawInput: unknown, transport: CoreContext['transport']) => Promise<Envelope<unknown>>;

export function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: issue.message }));
}

/** The central check of the method's declared permission; refused state-changing calls are audited. */
function refusal(ctx: CoreContext, method: MethodName, spec: MethodSpec): Envelope<unknown> | null {
  try {
    checkMethodPermission(ctx, spec.permission);
    return null;
  } catch (error) {
    if (!isDeskError(error)) throw error;
    if (spec.changesState) {
      recordAudit(ctx, { action: method, outcome: error.code, details: { needed: spec.permission, transport: ctx.transport } });
    }
    return errorEnvelope(error.code, error.message, error.details);
  }
}

export function createDispatch(baseContext: Omit<CoreContext, 'transport'>, handlers: HandlerMap): Dispatch {
  return async (method, rawInput, transport) => {
    if (!isMethodName(method)) return errorEnvelope('unknown_method', `Unknown method: ${String(method).slice(0, 80)}`);
    const spec = methods[method];
    const ctx: CoreContext = { ...baseContext, transport };
    // Who may call is settled before the input is even read: a refusal tells nothing about the input.
    const refused = refusal(ctx, method, spec);
    if (refused) return refused;
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const issues = issuesOf(parsed.error);
      return errorEnvelope('invalid_input', `Invalid input for ${method}: ${issues[0]?.path} ${issues[0]?.message}`, { issues });
    }
    try {
      const handler = handlers[method] as Handler<MethodName>;
      const output = await handler(ctx, parsed.data as never);
      const checked = spec.output.safeParse(output);
      if (!checked.success) {
        ctx.logger.error('handler answered outside its schema', { method, issues: issuesOf(checked.error) });
        return errorEnvelope('internal', `The ${method} handler produced an invalid answer`);
      }
      return okEnvelope(checked.data);
    } catch (error) {
      if (isDeskError(error)) return errorEnvelope(error.code, error.message, error.details);
      ctx.logger.error('handler failed', { method, error });
      return errorEnvelope('internal', `Unexpected failure in ${method}`);
    }
  };
}

export { DeskError };
