// Helpers that give method and event tables their shape without losing the literal types.
import type { z } from 'zod';

export interface MethodSpec {
  input: z.ZodType;
  output: z.ZodType;
}

export function defineMethods<const T extends Record<string, MethodSpec>>(table: T): T {
  return table;
}

export function defineEvents<const T extends Record<string, z.ZodType>>(table: T): T {
  return table;
}
