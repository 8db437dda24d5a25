// The merchant back office's roles and the permissions a contract method may require (no imports of the contract).
import { z } from 'zod';

/** The merchant back office's roles; the three built-in ones always hold agree_refund. */
export const roleSchema = z.enum(['main', 'admin', 'cs_admin', 'custom']);
export const permissionSchema = z.enum(['agree_refund', 'manage_operators', 'manage_shops']);
export type Role = z.infer<typeof roleSchema>;
export type Permission = z.infer<typeof permissionSchema>;
