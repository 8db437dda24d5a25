// Helpers that give method and event tables their shape without losing the literal types.
import type { z } from 'zod';
import type { Permission } from './permissions';

/**
 * What a caller needs before the core runs a method: nothing ('public': the sign-in screen's needs), a
 * signed-in operator, or a signed-in operator holding a named permission. Dispatch enforces it centrally.
 */
export type MethodPermission = 'public' | 'signed_in' | Permission;

export interface MethodSpec {
  input: z.ZodType;
  output: z.ZodType;
  permission: MethodPermission;
  /** True when a call can change stored state: refusals are audited by dispatch, successes by the handler. */
  changesState: boolean;
}

export function defineMethods<const T extends Record<string, MethodSpec>>(table: T): T {
  return table;
}

export function defineEvents<const T extends Record<string, z.ZodType>>(table: T): T {
  return table;
}
