// Where the warehouse database is and how to reach it: `--warehouse URL`, RETURNDESK_WAREHOUSE_URL or the settings.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseWarehouseUrlParts, WarehouseUrlError, type WarehouseUrlParts } from '../../common/warehouse-url';
import { WarehouseError } from './errors';

export const WAREHOUSE_URL_ENV = 'RETURNDESK_WAREHOUSE_URL';
export const WAREHOUSE_URL_FLAG = '--warehouse';

/**
 * TLS towards PostgreSQL. `require` encrypts without checking the certificate (a LAN server with a self-made
 * one); `verify-ca` checks the chain against `caPem`; `verify-full` also checks the host name.
 */
export const warehouseTlsSchema = z.object({
  mode: z.enum(['disable', 'require', 'verify-ca', 'verify-full']),
  caPem: z.string().min(1).optional(),
});
export type WarehouseTls = z.infer<typeof warehouseTlsSchema>;

/** What the settings screen stores (the password sealed like other secrets, unsealed by the caller). */
export const warehouseSettingsSchema = z.object({
  url: z.string().min(1),
  tls: warehouseTlsSchema.optional(),
});
export type WarehouseSettings = z.infer<typeof warehouseSettingsSchema>;

export interface WarehouseTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  tls: WarehouseTls;
}

export type WarehouseUrlSource = 'argument' | 'environment' | 'settings';

/** The URL to use, by precedence: command line, then environment, then settings; null means "no warehouse". */
export function resolveWarehouseUrl(input: {
  argv?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
  settings?: WarehouseSettings | null;
}): { url: string; source: WarehouseUrlSource } | null {
  const argv = input.argv ?? [];
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index]!;
    if (argument === WAREHOUSE_URL_FLAG) {
      const value = argv[index + 1];
      if (!value || value.startsWith('--')) invalid(`${WAREHOUSE_URL_FLAG} needs a URL after it`);
      return { url: value, source: 'argument' };
    }
    if (argument.startsWith(`${WAREHOUSE_URL_FLAG}=`)) return { url: argument.slice(WAREHOUSE_URL_FLAG.length + 1), source: 'argument' };
  }
  const fromEnv = input.env?.[WAREHOUSE_URL_ENV]?.trim();
  if (fromEnv) return { url: fromEnv, source: 'environment' };
  if (input.settings) return { url: input.settings.url, source: 'settings' };
  return null;
}

/**
 * Parses `postgres://user[:password]@host[:port]/database[?sslmode=…][&sslrootcert=FILE]`. An explicit `tls` wins
 * over `sslmode`/`sslrootcert` (libpq's names: the file holds the CA, for the embedded server its own certificate);
 * an explicit `password` (unsealed from the settings) wins over one in the URL.
 */
export function parseWarehouseUrl(url: string, options: { tls?: WarehouseTls; password?: string } = {}): WarehouseTarget {
  let parts: WarehouseUrlParts;
  try {
    parts = parseWarehouseUrlParts(url);
  } catch (error) {
    if (error instanceof WarehouseUrlError) invalid(error.message);
    throw error;
  }
  const { host, port, database, user, sslmode, sslrootcert: rootCertFile } = parts;
  const tls = options.tls ?? {
    mode: sslmode ?? 'disable',
    ...(rootCertFile ? { caPem: readCertificateFile(rootCertFile) } : {}),
  };
  if ((tls.mode === 'verify-ca' || tls.mode === 'verify-full') && !tls.caPem) {
    invalid(`TLS mode ${tls.mode} needs the server's CA certificate (PEM)`);
  }
  const password = options.password ?? parts.password;
  return { host, port, database, user, ...(password ? { password } : {}), tls };
}

/** The target without its password, for logs and the settings screen. */
export function describeTarget(target: WarehouseTarget): string {
  return `postgres://${encodeURIComponent(target.user)}@${target.host}:${target.port}/${encodeURIComponent(target.database)} (tls ${target.tls.mode})`;
}

/** The `ssl` option of `pg` for a TLS setting. */
export function pgSslOption(
  tls: WarehouseTls,
): false | { rejectUnauthorized: boolean; ca?: string; checkServerIdentity?: () => undefined } {
  switch (tls.mode) {
    case 'disable':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
      // The chain is checked; the host name is not (a LAN server is often reached by IP).
      return { rejectUnauthorized: true, ca: tls.caPem, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { rejectUnauthorized: true, ca: tls.caPem };
  }
}

function readCertificateFile(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    invalid(`cannot read sslrootcert ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    new X509Certificate(pem);
  } catch {
    invalid(`sslrootcert ${file} is not a PEM certificate`);
  }
  return pem;
}

function invalid(message: string): never {
  throw new WarehouseError('warehouse_config_invalid', `Warehouse settings: ${message}.`);
}
