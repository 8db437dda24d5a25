// The shops table and its sealed secrets: the only code that reads or writes them.
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { Shop } from '../../../common/contract/shops';
import type { Clock } from '../kernel/clock';
import type { GrantedTokens, TokenState } from '../platform/oauth';
import type { SignMethod } from '../platform/sign';
import type { SecretBox } from '../secrets/secret-box';
import { statement } from '../sql/statements';

export type SecretName = 'app_secret' | 'sign_secret' | 'access_token' | 'refresh_token';

export interface ShopSecrets {
  appSecret: string | null;
  signSecret: string;
  accessToken: string;
  refreshToken: string | null;
}

interface ShopRow {
  id: string;
  name: string;
  base_url: string;
  app_key: string;
  sign_method: SignMethod;
  auth_mode: Shop['authMode'];
  status: Shop['status'];
  status_reason: string | null;
  open_id: string | null;
  scopes: string;
  access_token_expires_at: number | null;
  refresh_token_expires_at: number | null;
  is_demo: number;
  demo_seed: number | null;
  created_at: number;
  updated_at: number;
}

/** A shop row without its secrets, as the rest of the core reads it. */
export interface ShopRecord {
  id: string;
  name: string;
  baseUrl: string;
  appKey: string;
  signMethod: SignMethod;
  authMode: Shop['authMode'];
  status: Shop['status'];
  statusReason: string | null;
  openId: string | null;
  isDemo: boolean;
  demoSeed: number | null;
  accessTokenExpiresAt: number | null;
  refreshTokenExpiresAt: number | null;
  hasRefreshToken: boolean;
  hasAppSecret: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface SaveShopInput {
  id?: string;
  name: string;
  baseUrl: string;
  appKey: string;
  signMethod: SignMethod;
  authMode: Shop['authMode'];
  isDemo?: boolean;
  demoSeed?: number | null;
  openId?: string | null;
  scopes?: string[];
  secrets: ShopSecrets;
  accessTokenExpiresAt: number | null;
  refreshTokenExpiresAt: number | null;
}

/** A secret sealed by a kind of box this host does not have (e.g. the desktop keychain, read by the browser host). */
export class SecretKindError extends Error {
  constructor(kind: string, available: string[]) {
    super(
      `A secret was sealed by "${kind}", which this host cannot open (it can open: ${available.join(', ')}); ` +
        'open the desk where it was sealed, or connect the shop again here.',
    );
    this.name = 'SecretKindError';
  }
}

/** The statements of the shops tables, prepared once per database by `statement()`. */
const SQL = {
  all: `SELECT * FROM shops ORDER BY is_demo DESC, created_at, id`,
  byId: `SELECT * FROM shops WHERE id = ?`,
  byAppKey: `SELECT * FROM shops WHERE app_key = ? AND base_url = ? AND is_demo = 0 ORDER BY created_at LIMIT 1`,
  demo: `SELECT * FROM shops WHERE is_demo = 1`,
  secretNames: `SELECT name FROM shop_secrets WHERE shop_id = ?`,
  secrets: `SELECT name, sealed, box_kind FROM shop_secrets WHERE shop_id = ?`,
  putSecret: `INSERT INTO shop_secrets (shop_id, name, sealed, box_kind, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (shop_id, name) DO UPDATE SET sealed = excluded.sealed, box_kind = excluded.box_kind, updated_at = excluded.updated_at`,
  dropSecret: `DELETE FROM shop_secrets WHERE shop_id = ? AND name = ?`,
  insert: `INSERT INTO shops (id, name, base_url, app_key, sign_method, auth_mode, status, status_reason, open_id, scopes,
           access_token_expires_at, refresh_token_expires_at, is_demo, demo_seed, created_at, updated_at)
         VALUES (@id, @name, @baseUrl, @appKey, @signMethod, @authMode, 'connected', NULL, @openId, @scopes,
           @accessTokenExpiresAt, @refreshTokenExpiresAt, @isDemo, @demoSeed, @now, @now)`,
  update: `UPDATE shops SET name = @name, base_url = @baseUrl, app_key = @appKey, sign_method = @signMethod, auth_mode = @authMode,
           status = 'connected', status_reason = NULL, open_id = @openId, scopes = @scopes,
           access_token_expires_at = @accessTokenExpiresAt, refresh_token_expires_at = @refreshTokenExpiresAt,
           demo_seed = @demoSeed, updated_at = @now
         WHERE id = @id`,
  tokens: `UPDATE shops SET access_token_expires_at = ?, refresh_token_expires_at = ?, status = 'connected', status_reason = NULL, updated_at = ? WHERE id = ?`,
  status: `UPDATE shops SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?`,
  baseUrl: `UPDATE shops SET base_url = ?, updated_at = ? WHERE id = ?`,
  rename: `UPDATE shops SET name = ?, updated_at = ? WHERE id = ?`,
};

export class ShopStore {
  private readonly openers: Map<string, SecretBox>;
  /** Followers of shops saved at this desk (an outer layer shares them); see onSaved. */
  private readonly savedListeners = new Set<(shopId: string) => void>();

  /**
   * `box` seals every secret written from now on; `openers` are the other boxes this host can open, so a
   * secret sealed earlier by another kind (the browser host's key file, the desktop app's keychain) still reads.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    openers: SecretBox[] = [],
  ) {
    this.openers = new Map([...openers, box].map((opener) => [opener.kind, opener]));
  }

  list(): ShopRecord[] {
    return (statement(this.db, SQL.all).all() as ShopRow[]).map((row) => this.toRecord(row));
  }

  get(id: string): ShopRecord | null {
    const row = statement(this.db, SQL.byId).get(id) as ShopRow | undefined;
    return row ? this.toRecord(row) : null;
  }

  findByAppKey(appKey: string, baseUrl: string): ShopRecord | null {
    const row = statement(this.db, SQL.byAppKey).get(appKey, baseUrl) as ShopRow | undefined;
    return row ? this.toRecord(row) : null;
  }

  demo(): ShopRecord | null {
    const row = statement(this.db, SQL.demo).get() as ShopRow | undefined;
    return row ? this.toRecord(row) : null;
  }

  /** Opens the sealed secrets of a shop; only the platform layer calls this. */
  readSecrets(id: string): ShopSecrets {
    const values = new Map<string, string>();
    for (const row of statement(this.db, SQL.secrets).all(id) as { name: string; sealed: Buffer; box_kind: string }[]) {
      const opener = this.openers.get(row.box_kind);
      if (!opener) throw new SecretKindError(row.box_kind, [...this.openers.keys()]);
      values.set(row.name, opener.decrypt(row.sealed));
    }
    const signSecret = values.get('sign_secret');
    const accessToken = values.get('access_token');
    if (!signSecret || !accessToken) throw new Error(`Shop ${id} has no stored credentials`);
    return { appSecret: values.get('app_secret') ?? null, signSecret, accessToken, refreshToken: values.get('refresh_token') ?? null };
  }

  /**
   * Follows shops connected or re-authorised at this desk, and their token rotations (not rows saved `quiet`ly,
   * i.e. taken from another desk); returns the unsubscribe function.
   */
  onSaved(listener: (shopId: string) => void): () => void {
    this.savedListeners.add(listener);
    return () => this.savedListeners.delete(listener);
  }

  /**
   * Inserts a new shop or replaces an existing one's settings and secrets, all in one transaction. `quiet`: the
   * shop came from another desk, so it is not reported to onSaved (nothing is shared back).
   */
  save(input: SaveShopInput, options: { quiet?: boolean } = {}): ShopRecord {
    const now = this.clock.now();
    const id = input.id ?? randomUUID();
    // Seal before the transaction: a SecretBox failure must not leave half a shop behind.
    const sealed = this.seal(input.secrets);
    this.db.transaction(() => {
      const fields = {
        id,
        name: input.name,
        baseUrl: input.baseUrl,
        appKey: input.appKey,
        signMethod: input.signMethod,
        authMode: input.authMode,
        openId: input.openId ?? null,
        scopes: JSON.stringify(input.scopes ?? []),
        accessTokenExpiresAt: input.accessTokenExpiresAt,
        refreshTokenExpiresAt: input.refreshTokenExpiresAt,
        isDemo: input.isDemo ? 1 : 0,
        demoSeed: input.demoSeed ?? null,
        now,
      };
      if (statement(this.db, SQL.byId).get(id)) statement(this.db, SQL.update).run(fields);
      else statement(this.db, SQL.insert).run(fields);
      this.writeSecrets(id, sealed, now);
    })();
    if (!options.quiet) this.reportSaved(id);
    return this.get(id)!;
  }

  /** Persists a rotated token pair and its deadlines in one transaction (before the new token is used). */
  saveTokens(id: string, tokens: GrantedTokens | TokenState): void {
    const now = this.clock.now();
    const sealed = this.seal({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
    this.db.transaction(() => {
      const changed = statement(this.db, SQL.tokens).run(tokens.accessTokenExpiresAt, tokens.refreshTokenExpiresAt, now, id).changes;
      if (changed !== 1) throw new Error(`Shop ${id} no longer exists`);
      this.writeSecrets(id, sealed, now);
    })();
    this.reportSaved(id);
  }

  setStatus(id: string, status: Shop['status'], reason: string | null): void {
    statement(this.db, SQL.status).run(status, reason, this.clock.now(), id);
  }

  rename(id: string, name: string): void {
    statement(this.db, SQL.rename).run(name, this.clock.now(), id);
  }

  setBaseUrl(id: string, baseUrl: string): void {
    statement(this.db, SQL.baseUrl).run(baseUrl, this.clock.now(), id);
  }

  /** The view every transport may see. */
  static toPublic(record: ShopRecord): Shop {
    return {
      id: record.id,
      name: record.name,
      baseUrl: record.baseUrl,
      appKey: record.appKey,
      signMethod: record.signMethod,
      authMode: record.authMode,
      status: record.status,
      statusReason: record.statusReason,
      isDemo: record.isDemo,
      canRefresh: record.hasRefreshToken && record.hasAppSecret,
      accessTokenExpiresAt: record.accessTokenExpiresAt,
      refreshTokenExpiresAt: record.refreshTokenExpiresAt,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
    };
  }

  private reportSaved(id: string): void {
    for (const listener of this.savedListeners) listener(id);
  }

  private seal(secrets: Partial<ShopSecrets>): Map<SecretName, Buffer | null> {
    const out = new Map<SecretName, Buffer | null>();
    const put = (name: SecretName, value: string | null | undefined) => {
      if (value !== undefined) out.set(name, value === null ? null : this.box.encrypt(value));
    };
    put('app_secret', secrets.appSecret);
    put('sign_secret', secrets.signSecret);
    put('access_token', secrets.accessToken);
    put('refresh_token', secrets.refreshToken);
    return out;
  }

  private writeSecrets(id: string, sealed: Map<SecretName, Buffer | null>, now: number): void {
    for (const [name, value] of sealed) {
      if (value === null) statement(this.db, SQL.dropSecret).run(id, name);
      else statement(this.db, SQL.putSecret).run(id, name, value, this.box.kind, now);
    }
  }

  private toRecord(row: ShopRow): ShopRecord {
    const names = new Set(statement(this.db, SQL.secretNames).pluck().all(row.id) as string[]);
    return {
      id: row.id,
      name: row.name,
      baseUrl: row.base_url,
      appKey: row.app_key,
      signMethod: row.sign_method,
      authMode: row.auth_mode,
      status: row.status,
      statusReason: row.status_reason,
      openId: row.open_id,
      isDemo: row.is_demo === 1,
      demoSeed: row.demo_seed,
      accessTokenExpiresAt: row.access_token_expires_at,
      refreshTokenExpiresAt: row.refresh_token_expires_at,
      hasRefreshToken: names.has('refresh_token'),
      hasAppSecret: names.has('app_secret'),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}

declare module '../context/context' {
  interface CoreContext {
    /** The shops table and its sealed secrets. */
    shops: ShopStore;
  }
}
