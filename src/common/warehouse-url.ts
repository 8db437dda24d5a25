// The warehouse URL's shape (postgres://user@host:5432/database), read the same way by the core's settings and the link.

/** libpq's sslmode names and what ReturnDesk does for each. */
export const SSL_MODES = {
  disable: 'disable',
  allow: 'disable',
  prefer: 'require',
  require: 'require',
  'verify-ca': 'verify-ca',
  'verify-full': 'verify-full',
} as const;
export type WarehouseTlsMode = (typeof SSL_MODES)[keyof typeof SSL_MODES];

export interface WarehouseUrlParts {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  /** The TLS mode `sslmode` asks for, or null when the URL says nothing. */
  sslmode: WarehouseTlsMode | null;
  /** The `sslrootcert` file the URL names (read by the caller), or null. */
  sslrootcert: string | null;
}

/** A warehouse URL that cannot be used; the message says what is wrong, never the password. */
export class WarehouseUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WarehouseUrlError';
  }
}

/** Parses `postgres://user[:password]@host[:port]/database[?sslmode=…][&sslrootcert=FILE]`, or throws WarehouseUrlError. */
export function parseWarehouseUrlParts(url: string): WarehouseUrlParts {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WarehouseUrlError('the warehouse URL is not a URL (expected postgres://user@host:5432/database)');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new WarehouseUrlError(`the warehouse URL must start with postgres:// (got ${parsed.protocol}//)`);
  }
  if (!parsed.hostname) throw new WarehouseUrlError('the warehouse URL names no host');
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database || database.includes('/'))
    throw new WarehouseUrlError('the warehouse URL must name exactly one database, e.g. /returndesk');
  const user = decodeURIComponent(parsed.username);
  if (!user) throw new WarehouseUrlError('the warehouse URL names no user');
  const port = parsed.port ? Number(parsed.port) : 5432;
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode !== null && !Object.prototype.hasOwnProperty.call(SSL_MODES, sslmode)) {
    throw new WarehouseUrlError(`unknown sslmode "${sslmode}"`);
  }
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port,
    database,
    user,
    ...(password ? { password } : {}),
    sslmode: sslmode === null ? null : SSL_MODES[sslmode as keyof typeof SSL_MODES],
    sslrootcert: parsed.searchParams.get('sslrootcert'),
  };
}
