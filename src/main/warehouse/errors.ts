// Typed failures of the warehouse layer, so callers can tell "fall back to SQLite" from "you are no longer in charge".
export const WAREHOUSE_ERROR_CODES = {
  warehouse_config_invalid: 'The warehouse connection settings are not valid.',
  warehouse_schema_too_new: 'The warehouse database was migrated by a newer ReturnDesk; refusing to touch it.',
  warehouse_fenced_out: 'This desk is no longer the sync leader of the shop; its write was refused.',
  warehouse_lease_lost: 'The outbox row is no longer claimed by this desk; its result was not recorded.',
  warehouse_server_failed: 'The embedded warehouse server could not be started.',
  warehouse_key_invalid: 'The warehouse key is not a ReturnDesk warehouse key (or its file is damaged).',
  warehouse_key_mismatch: 'This desk holds a different warehouse key than the one the shop credentials were sealed with.',
  warehouse_key_missing: 'This desk was given no warehouse key: it keeps its own shops and receives none connected elsewhere.',
  warehouse_credentials_damaged: 'The sealed shop credentials could not be opened although the key matches (damaged data).',
} as const;

export type WarehouseErrorCode = keyof typeof WAREHOUSE_ERROR_CODES;

export class WarehouseError extends Error {
  readonly code: WarehouseErrorCode;
  readonly details?: unknown;

  constructor(code: WarehouseErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'WarehouseError';
    this.code = code;
    this.details = details;
  }
}

export function isWarehouseError(value: unknown, code?: WarehouseErrorCode): value is WarehouseError {
  return value instanceof WarehouseError && (code === undefined || value.code === code);
}
