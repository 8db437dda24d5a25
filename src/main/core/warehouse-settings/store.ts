// The desk's stored warehouse connection: URL (without password) and TLS in the settings table, the password sealed.
import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { DeskError } from '../../../common/contract/errors';
import {
  TLS_MODES_NEEDING_CA,
  warehouseTlsModeSchema,
  type WarehouseSettingsInput,
  type WarehouseSettingsView,
  type WarehouseTlsModeName,
} from '../../../common/contract/warehouse';
import { parseWarehouseUrlParts, WarehouseUrlError } from '../../../common/warehouse-url';
import type { CoreContext } from '../context/context';
import type { Logger } from '../log/logger';
import type { SecretBox } from '../secrets/secret-box';
import type { WarehouseLinkBoard } from './link-status';
import { statement } from '../sql/statements';

export const WAREHOUSE_SETTINGS_KEY = 'warehouse.connection';

/** The row as stored: the password only as the SecretBox's sealed bytes (base64) and the kind of box that sealed it. */
const storedSchema = z.object({
  url: z.string().min(1),
  tlsMode: warehouseTlsModeSchema,
  caPem: z.string().nullable(),
  sealedPassword: z.object({ boxKind: z.string().min(1), base64: z.string().min(1) }).nullable(),
});
type Stored = z.infer<typeof storedSchema>;

/** What an entry point needs to reach the warehouse the settings name (the password unsealed, in memory only). */
export interface StoredWarehouseConnection {
  url: string;
  tls: { mode: WarehouseTlsModeName; caPem?: string };
  password?: string;
}

type Ctx = Pick<CoreContext, 'db' | 'clock'>;

function readRow(ctx: Pick<CoreContext, 'db'>): { stored: Stored; updatedAt: number } | null {
  const row = statement(ctx.db, 'SELECT value, updated_at FROM settings WHERE key = ?').get(WAREHOUSE_SETTINGS_KEY) as
    { value: string; updated_at: number } | undefined;
  if (!row) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.value);
  } catch {
    return null;
  }
  const checked = storedSchema.safeParse(parsed);
  return checked.success ? { stored: checked.data, updatedAt: row.updated_at } : null;
}

/** The settings screen's view: the password never leaves the core, only whether one is stored. */
export function warehouseSettingsView(ctx: Pick<CoreContext, 'db'>): WarehouseSettingsView {
  const row = readRow(ctx);
  if (!row) return { url: null, tlsMode: 'disable', caPem: null, passwordSet: false, updatedAt: null };
  return {
    url: row.stored.url,
    tlsMode: row.stored.tlsMode,
    caPem: row.stored.caPem,
    passwordSet: row.stored.sealedPassword !== null,
    updatedAt: row.updatedAt,
  };
}

function invalid(message: string): never {
  throw new DeskError('warehouse_config_invalid', `Warehouse settings: ${message}.`);
}

/** The same URL rules the link applies at start, plus what belongs in other fields of the screen. */
function checkInput(input: WarehouseSettingsInput): void {
  let parts;
  try {
    parts = parseWarehouseUrlParts(input.url);
  } catch (error) {
    if (error instanceof WarehouseUrlError) invalid(error.message);
    throw error;
  }
  // The URL is stored in plain text: a password in it would defeat the sealing.
  if (parts.password !== undefined) invalid('the URL must not contain the password; enter it in the password field');
  if (parts.sslmode !== null || parts.sslrootcert !== null) invalid('set TLS with the TLS mode and CA certificate fields, not in the URL');
  const caPem = input.caPem?.trim();
  if (TLS_MODES_NEEDING_CA.includes(input.tlsMode) && !caPem) invalid(`TLS mode ${input.tlsMode} needs the server's CA certificate (PEM)`);
  if (caPem) {
    try {
      new X509Certificate(caPem);
    } catch {
      invalid('the CA certificate is not a PEM certificate');
    }
  }
}

/**
 * Validates, then stores (or, for an empty URL, removes) the warehouse connection; nothing is written when the
 * input is refused. The password is sealed before the write, so a SecretBox failure leaves the old settings.
 */
export function saveWarehouseSettings(ctx: Ctx & Pick<CoreContext, 'secrets'>, input: WarehouseSettingsInput): WarehouseSettingsView {
  if (input.url === '') {
    statement(ctx.db, 'DELETE FROM settings WHERE key = ?').run(WAREHOUSE_SETTINGS_KEY);
    return warehouseSettingsView(ctx);
  }
  checkInput(input);
  const previous = readRow(ctx)?.stored.sealedPassword ?? null;
  const sealedPassword =
    input.password === undefined
      ? previous
      : input.password === null
        ? null
        : { boxKind: ctx.secrets.kind, base64: ctx.secrets.encrypt(input.password).toString('base64') };
  const caPem = input.caPem?.trim() || null;
  const stored: Stored = { url: input.url, tlsMode: input.tlsMode, caPem, sealedPassword };
  statement(
    ctx.db,
    'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  ).run(WAREHOUSE_SETTINGS_KEY, JSON.stringify(stored), ctx.clock.now());
  return warehouseSettingsView(ctx);
}

/**
 * The stored connection with its password unsealed, for the entry point that starts the link; null when none is
 * stored. A password sealed by a box this process does not have is an error the caller reports.
 */
export function readStoredWarehouseConnection(
  ctx: Pick<CoreContext, 'db'>,
  openers: readonly SecretBox[],
): StoredWarehouseConnection | null {
  const row = readRow(ctx);
  if (!row) return null;
  const { url, tlsMode, caPem, sealedPassword } = row.stored;
  let password: string | undefined;
  if (sealedPassword) {
    const opener = openers.find((box) => box.kind === sealedPassword.boxKind);
    if (!opener) throw new Error(`The stored warehouse password was sealed by "${sealedPassword.boxKind}", which this desk cannot open`);
    password = opener.decrypt(Buffer.from(sealedPassword.base64, 'base64'));
  }
  return { url, tls: { mode: tlsMode, ...(caPem ? { caPem } : {}) }, ...(password !== undefined ? { password } : {}) };
}

/**
 * The stored connection for createCore, or null. A password this desk can no longer open (the key file or the
 * operating system's keychain changed) does not stop the desk: it starts alone, and the status says why, so a
 * manager can enter the password again in the settings screen.
 */
export function storedWarehouseOrNull(
  ctx: Pick<CoreContext, 'db'>,
  openers: readonly SecretBox[],
  logger: Logger,
  board: WarehouseLinkBoard,
): StoredWarehouseConnection | null {
  try {
    return readStoredWarehouseConnection(ctx, openers);
  } catch (error) {
    logger.error('warehouse settings: the stored password could not be opened; the desk starts alone', {
      error: error instanceof Error ? error.message : String(error),
    });
    board.watch(() => ({ state: 'refused', reason: 'password_unreadable', source: 'settings', target: null }));
    return null;
  }
}
