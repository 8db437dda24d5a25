// The desk's stored warehouse connection: saved and read back, the password sealed, bad input refused, and the
// entry point's choice between the command line, the environment and the stored settings.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../src/main/core/db/open';
import { KEY_FILE } from '../../../src/main/core/secrets';
import { forTarget, warehouseFromStored } from '../../../src/main/warehouse/link/start';
import { ensureServerCertificate } from '../../../src/main/warehouse/server-tls';
import { tempDir, testCore } from '../../support/core';
import { deskHarness, signInAs, withStaff, type DeskHarness } from '../../unit/desk/support';

const URL = 'postgres://desk@10.0.0.5:5433/returndesk';
const PASSWORD = 'Pw-7f3a9c-never-in-plain-text';
let caPem: string;
let h: DeskHarness;
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  // A real self-signed certificate, the kind the embedded warehouse server makes for itself.
  const dir = tempDir('returndesk-ca-');
  fs.writeFileSync(path.join(dir, 'PG_VERSION'), '16\n');
  caPem = (await ensureServerCertificate(dir)).pem;
});

afterEach(async () => {
  for (const core of open.splice(0)) await core.close();
});

async function managerDesk(): Promise<DeskHarness> {
  h = deskHarness();
  open.push(h.core);
  await withStaff(h);
  return h;
}

/** Every byte the desk's SQLite holds on disk (database and write-ahead log). */
function databaseBytes(dataDir: string): Buffer {
  const files = [DATABASE_FILE, `${DATABASE_FILE}-wal`].map((name) => path.join(dataDir, name)).filter((file) => fs.existsSync(file));
  return Buffer.concat(files.map((file) => fs.readFileSync(file)));
}

describe('warehouse settings of a desk', () => {
  it('round-trips URL, TLS and CA; the password is sealed, never answered, never in the audit or the database file', async () => {
    await managerDesk();
    expect(await h.ok('warehouse.settings.get', {})).toEqual({
      url: null,
      tlsMode: 'disable',
      caPem: null,
      passwordSet: false,
      updatedAt: null,
    });
    const saved = await h.ok('warehouse.settings.save', { url: ` ${URL} `, tlsMode: 'verify-ca', caPem, password: PASSWORD });
    expect(saved).toMatchObject({ url: URL, tlsMode: 'verify-ca', caPem: caPem.trim(), passwordSet: true });
    const read = await h.ok('warehouse.settings.get', {});
    expect(read).toEqual(saved);
    const audit = await h.ok('audit.search', {});
    const entry = audit.entries.find((e) => e.action === 'warehouse.settings.save');
    expect(entry).toMatchObject({ outcome: 'ok', details: { url: URL, tlsMode: 'verify-ca', caCertificate: true, password: 'set' } });
    for (const answer of [saved, read, audit, await h.ok('warehouse.status', {})]) expect(JSON.stringify(answer)).not.toContain(PASSWORD);

    // Absent keeps the stored password; null removes it.
    expect((await h.ok('warehouse.settings.save', { url: URL, tlsMode: 'require' })).passwordSet).toBe(true);
    const dataDir = h.core.context.dataDir;
    h.core.context.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(databaseBytes(dataDir).includes(Buffer.from(PASSWORD))).toBe(false);
    expect(databaseBytes(dataDir).includes(Buffer.from(URL))).toBe(true); // the check can see plain text
    expect((await h.ok('warehouse.settings.save', { url: URL, tlsMode: 'require', password: null })).passwordSet).toBe(false);
  });

  it('refuses a bad URL, a password in the URL, a missing or broken CA with warehouse_config_invalid, saving nothing', async () => {
    await managerDesk();
    await h.fails('warehouse.settings.save', { url: 'http://desk@host/db', tlsMode: 'disable' }, 'warehouse_config_invalid');
    expect((await h.ok('warehouse.settings.get', {})).url).toBeNull();
    const good = await h.ok('warehouse.settings.save', { url: URL, tlsMode: 'disable', password: PASSWORD });
    const refusals = [
      { url: 'not a url', tlsMode: 'disable' },
      { url: 'postgres://desk@host/', tlsMode: 'disable' },
      { url: 'postgres://desk:secret@host/db', tlsMode: 'disable' },
      { url: `${URL}?sslmode=require`, tlsMode: 'disable' },
      { url: URL, tlsMode: 'verify-ca' },
      { url: URL, tlsMode: 'verify-full', caPem: '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----' },
    ] as const;
    for (const input of refusals) {
      const error = await h.fails('warehouse.settings.save', { ...input, password: 'other' }, 'warehouse_config_invalid');
      expect(error.message).not.toContain('secret');
    }
    expect(await h.ok('warehouse.settings.get', {})).toEqual(good);
    expect((await h.ok('audit.search', {})).entries.filter((e) => e.action === 'warehouse.settings.save')).toHaveLength(1);
  });

  it('needs manage_shops; an empty URL clears the stored warehouse', async () => {
    await managerDesk();
    await h.ok('warehouse.settings.save', { url: URL, tlsMode: 'disable' });
    await signInAs(h, 'Kefu');
    await h.fails('warehouse.settings.get', {}, 'forbidden');
    await h.fails('warehouse.settings.save', { url: '', tlsMode: 'disable' }, 'forbidden');
    await signInAs(h, 'Admin');
    expect((await h.ok('warehouse.settings.save', { url: '', tlsMode: 'disable' })).url).toBeNull();
  });
});

describe('the entry point reading the stored settings', () => {
  async function deskWithStoredSettings(): Promise<string> {
    await managerDesk();
    await h.ok('warehouse.settings.save', { url: URL, tlsMode: 'verify-ca', caPem, password: PASSWORD });
    const dataDir = h.core.context.dataDir;
    await open.pop()!.close();
    return dataDir;
  }

  function start(dataDir: string, input: { argv?: string[]; env?: Record<string, string> }) {
    const warehouse = warehouseFromStored(input);
    const core = testCore({ dataDir, syncGateFromStored: warehouse.gateFor });
    open.push(core);
    return { core, mode: warehouse.mode() };
  }

  it('uses the stored settings (password unsealed) when neither the command line nor the environment names a warehouse', async () => {
    const dataDir = await deskWithStoredSettings();
    const { core, mode } = start(dataDir, { argv: [], env: {} });
    expect(mode?.target).toEqual({
      host: '10.0.0.5',
      port: 5433,
      database: 'returndesk',
      user: 'desk',
      password: PASSWORD,
      tls: { mode: 'verify-ca', caPem: caPem.trim() },
    });
    // The core's scheduler was given the warehouse's gate: it pulls nothing until the link leads a shop.
    expect(core.context.sync.gate.pulls('any-shop')).toBe(false);
  });

  it('lets the command line, then the environment, win over the stored settings', async () => {
    const dataDir = await deskWithStoredSettings();
    const fromEnv = start(dataDir, { argv: [], env: { RETURNDESK_WAREHOUSE_URL: 'postgres://envdesk@env-host/wh' } });
    expect(fromEnv.mode?.target).toMatchObject({ host: 'env-host', user: 'envdesk', tls: { mode: 'disable' } });
    expect(fromEnv.mode?.target.password).toBeUndefined();
    await open.pop()!.close();
    const fromArgv = start(dataDir, {
      argv: ['--warehouse', 'postgres://argdesk@arg-host/wh'],
      env: { RETURNDESK_WAREHOUSE_URL: 'postgres://envdesk@env-host/wh' },
    });
    expect(fromArgv.mode?.target).toMatchObject({ host: 'arg-host', user: 'argdesk' });
  });

  it('starts alone, saying why, when the stored password can no longer be opened (the key file changed)', async () => {
    const dataDir = await deskWithStoredSettings();
    fs.writeFileSync(path.join(dataDir, KEY_FILE), randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
    const { core, mode } = start(dataDir, { argv: [], env: {} });
    expect(mode).toBeNull();
    expect(core.context.sync.gate.pulls('any-shop')).toBe(true);
    expect(core.context.warehouseLink.current()).toMatchObject({
      state: 'refused',
      source: 'settings',
      reason: 'password_unreadable',
    });
  });

  it('leaves a desk without any warehouse alone, pulling every shop', async () => {
    const { core, mode } = start(tempDir(), { argv: [], env: {} });
    expect(mode).toBeNull();
    expect(core.context.sync.gate.pulls('any-shop')).toBe(true);
  });

  it('reports the link status through the core (not configured, then connecting to the target without its password)', async () => {
    await managerDesk();
    expect(await h.ok('warehouse.status', {})).toEqual({ state: 'not_configured', reason: null, source: null, target: null });
    // Nothing listens on port 1: the link keeps trying, and the desk works from SQLite meanwhile.
    const mode = forTarget(
      { host: '127.0.0.1', port: 1, database: 'wh', user: 'desk', password: PASSWORD, tls: { mode: 'disable' } },
      {},
      'settings',
    );
    mode.attach(h.core);
    const status = await h.ok('warehouse.status', {});
    expect(status).toEqual({
      state: 'connecting',
      reason: null,
      source: 'settings',
      target: 'postgres://desk@127.0.0.1:1/wh (tls disable)',
    });
    expect(JSON.stringify(status)).not.toContain(PASSWORD);
  });
});
