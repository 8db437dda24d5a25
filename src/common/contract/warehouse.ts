// Contract of the desk's warehouse connection settings (the password write-only) and of the warehouse link's status.
import { z } from 'zod';
import { defineMethods } from './define';

export const warehouseTlsModeSchema = z.enum(['disable', 'require', 'verify-ca', 'verify-full']);
export type WarehouseTlsModeName = z.infer<typeof warehouseTlsModeSchema>;

/** The TLS modes that check the server's certificate and so need its CA certificate (PEM). */
export const TLS_MODES_NEEDING_CA: readonly WarehouseTlsModeName[] = ['verify-ca', 'verify-full'];

/** What the settings screen may see: never the password, only whether one is stored. */
export const warehouseSettingsViewSchema = z
  .object({
    /** Null: no warehouse stored (the desk works alone unless started with --warehouse or the environment). */
    url: z.string().nullable(),
    tlsMode: warehouseTlsModeSchema,
    caPem: z.string().nullable(),
    passwordSet: z.boolean(),
    updatedAt: z.number().int().nullable(),
  })
  .strict();
export type WarehouseSettingsView = z.infer<typeof warehouseSettingsViewSchema>;

export const warehouseSettingsInputSchema = z
  .object({
    /** postgres://user@host:5432/database, without the password; empty clears the stored warehouse. */
    url: z.string().trim().max(2000),
    tlsMode: warehouseTlsModeSchema,
    caPem: z.string().max(65_536).nullable().optional(),
    /** Absent: keep the stored one; null: remove it; a string: seal and store it. */
    password: z.string().min(1).max(1000).nullable().optional(),
  })
  .strict();
export type WarehouseSettingsInput = z.infer<typeof warehouseSettingsInputSchema>;

export const warehouseLinkStateSchema = z.enum(['not_configured', 'connecting', 'linked', 'refused', 'stopped']);
export type WarehouseLinkState = z.infer<typeof warehouseLinkStateSchema>;

/** Why a desk's warehouse link is refused: a newer schema than this desk knows, or a stored password it cannot open. */
export const warehouseRefusalSchema = z.enum(['schema_newer', 'password_unreadable']);
export type WarehouseRefusal = z.infer<typeof warehouseRefusalSchema>;

export const warehouseStatusSchema = z
  .object({
    state: warehouseLinkStateSchema,
    /** Why the link is refused, as a code the screen words in the operator's language (never a password). */
    reason: warehouseRefusalSchema.nullable(),
    /** Where the running link's URL came from (the command line and the environment win over the settings). */
    source: z.enum(['argument', 'environment', 'settings']).nullable(),
    /** The warehouse the link reaches, without its password. */
    target: z.string().nullable(),
  })
  .strict();
export type WarehouseStatus = z.infer<typeof warehouseStatusSchema>;

export const warehouseMethods = defineMethods({
  'warehouse.settings.get': {
    permission: 'manage_shops',
    changesState: false,
    input: z.object({}).strict(),
    output: warehouseSettingsViewSchema,
  },
  'warehouse.settings.save': {
    permission: 'manage_shops',
    changesState: true,
    input: warehouseSettingsInputSchema,
    output: warehouseSettingsViewSchema,
  },
  'warehouse.status': {
    permission: 'manage_shops',
    changesState: false,
    input: z.object({}).strict(),
    output: warehouseStatusSchema,
  },
});
