// Contract of operators, roles and the "agree to refund" permission, plus the desk session.
import { z } from 'zod';
import { defineMethods } from './define';
import { epochMsSchema } from './ids';
import { permissionSchema, roleSchema } from './permissions';

export { permissionSchema, roleSchema, type Permission, type Role } from './permissions';

export const operatorSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  customRoleName: z.string().nullable(),
  permissions: z.array(permissionSchema), // effective permissions
  disabled: z.boolean(),
  createdAt: epochMsSchema,
});
export type Operator = z.infer<typeof operatorSchema>;

const nameSchema = z.string().trim().min(1).max(32);
const pinSchema = z.string().regex(/^\d{4,8}$/, 'PIN must be 4 to 8 digits');

export const sessionSchema = z.object({
  operator: operatorSchema.nullable(),
  needsBootstrap: z.boolean(), // no operator exists yet: create the main account first
  idleTimeoutMs: z.number().int().positive(),
});

export const operatorsMethods = defineMethods({
  'operators.session': { permission: 'public', changesState: false, input: z.object({}).strict(), output: sessionSchema },
  'operators.bootstrap': {
    permission: 'public',
    changesState: true,
    input: z.object({ name: nameSchema, pin: pinSchema }).strict(),
    output: operatorSchema,
  },
  'operators.signIn': {
    permission: 'public',
    changesState: true,
    input: z.object({ name: nameSchema, pin: z.string().max(16) }).strict(),
    output: operatorSchema,
  },
  'operators.signOut': {
    permission: 'public',
    changesState: true,
    input: z.object({}).strict(),
    output: z.object({ signedOut: z.boolean() }),
  },
  'operators.list': { permission: 'manage_operators', changesState: false, input: z.object({}).strict(), output: z.array(operatorSchema) },
  'operators.save': {
    permission: 'manage_operators',
    changesState: true,
    input: z
      .object({
        id: z.string().max(64).optional(),
        name: nameSchema,
        pin: pinSchema.optional(), // required when creating
        role: roleSchema.exclude(['main']),
        customRoleName: z.string().trim().max(32).optional(),
        permissions: z.array(permissionSchema).max(3).default([]), // only meaningful for custom roles
        disabled: z.boolean().default(false),
      })
      .strict(),
    output: operatorSchema,
  },
});
