// TLS on the embedded server: a self-signed certificate made once, require and verify-ca connect, TLS only refuses plain.
import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { parseWarehouseUrl, type WarehouseTarget } from '../../../src/main/warehouse/config';
import { isWarehouseError } from '../../../src/main/warehouse/errors';
import { clientConfig } from '../../../src/main/warehouse/pool';
import { configureServerTls, ensureServerCertificate, SERVER_CERT_FILE } from '../../../src/main/warehouse/server-tls';
import { startTestWarehouse, TEST_PASSWORD, type TestWarehouse } from './support/pg-server';

const started: TestWarehouse[] = [];
const scratch = mkdtempSync(path.join(tmpdir(), 'returndesk-tls-'));
afterAll(async () => {
  for (const warehouse of started) await warehouse.stop();
  rmSync(scratch, { recursive: true, force: true });
});

async function start(tls: 'on' | 'only'): Promise<TestWarehouse> {
  const warehouse = await startTestWarehouse({ tls });
  started.push(warehouse);
  return warehouse;
}

/** Connects once and answers whether the session is encrypted (pg_stat_ssl), or throws the connection error. */
async function sessionIsEncrypted(target: WarehouseTarget): Promise<boolean> {
  const client = new pg.Client(clientConfig(target, { connectTimeoutMs: 5_000 }));
  client.on('error', () => undefined);
  try {
    await client.connect();
    const result = await client.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
    return (result.rows[0] as { ssl: boolean }).ssl;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const urlOf = (warehouse: TestWarehouse, query: string) => `${warehouse.server.url}?${query}`;
const target = (warehouse: TestWarehouse, query: string) => parseWarehouseUrl(urlOf(warehouse, query), { password: TEST_PASSWORD });

describe('TLS on the embedded warehouse server', () => {
  it('makes a self-signed certificate once; sslmode=require and verify-ca with the certificate file connect encrypted', async () => {
    const warehouse = await start('on');
    const certificate = warehouse.server.certificate!;
    const certFile = path.join(warehouse.dataDir, SERVER_CERT_FILE);
    expect(certificate.certFile).toBe(certFile);
    // The printed fingerprint is the SHA-256 of the certificate's DER bytes (what a desk compares before pinning).
    const der = new X509Certificate(readFileSync(certFile)).raw;
    const hex = createHash('sha256').update(der).digest('hex').toUpperCase();
    expect(certificate.fingerprint256.replaceAll(':', '')).toBe(hex);
    const names = new X509Certificate(certificate.pem).subjectAltName ?? '';
    expect(names).toContain('IP Address:127.0.0.1');
    expect(names).toMatch(/IP Address:(::1|0:0:0:0:0:0:0:1)(,|$)/);
    expect(names).toContain('DNS:localhost');

    expect(await sessionIsEncrypted(target(warehouse, 'sslmode=require'))).toBe(true);
    expect(await sessionIsEncrypted(target(warehouse, `sslmode=verify-ca&sslrootcert=${encodeURIComponent(certFile)}`))).toBe(true);
    expect(await sessionIsEncrypted(target(warehouse, `sslmode=verify-full&sslrootcert=${encodeURIComponent(certFile)}`))).toBe(true);
    // TLS is offered, not required: a plain connection is still admitted in this mode.
    expect(await sessionIsEncrypted(target(warehouse, 'sslmode=disable'))).toBe(false);

    // The certificate survives restarts (desks pinned it).
    await warehouse.crash();
    await warehouse.restart();
    expect(warehouse.server.certificate?.created).toBe(false);
    expect(warehouse.server.certificate?.fingerprint256).toBe(certificate.fingerprint256);
    const conf = readFileSync(path.join(warehouse.dataDir, 'postgresql.conf'), 'utf8');
    expect(conf.match(/ReturnDesk TLS: begin/g)).toHaveLength(1);
    expect(conf).toMatch(/^ssl = on$/m);
  });

  it('refuses verify-ca against another certificate (a server that is not the pinned one)', async () => {
    const warehouse = started[0]!;
    const other = path.join(scratch, 'other');
    mkdirSync(other);
    writeFileSync(path.join(other, 'PG_VERSION'), '18\n');
    const foreign = await ensureServerCertificate(other);
    const error = await sessionIsEncrypted(
      target(warehouse, `sslmode=verify-ca&sslrootcert=${encodeURIComponent(foreign.certFile)}`),
    ).catch((caught: unknown) => caught);
    expect(String(error)).toMatch(/self[- ]signed|unable to verify|certificate/i);
  });

  it('refuses a plain connection with TLS only, and admits TLS', async () => {
    const warehouse = await start('only');
    await expect(sessionIsEncrypted(target(warehouse, 'sslmode=disable'))).rejects.toThrow(/pg_hba\.conf rejects connection|no encryption/);
    expect(await sessionIsEncrypted(target(warehouse, 'sslmode=require'))).toBe(true);
    // The pools of the harness pin the certificate, so migrations ran over TLS.
    const version = await warehouse.pool().query('SELECT version FROM warehouse_schema');
    expect(version.rows[0].version).toBeGreaterThan(0);
  });

  it('switching back from TLS only removes the refusal; a bad sslrootcert is a typed error', async () => {
    const warehouse = started[1]!;
    await configureServerTls(warehouse.dataDir, 'on');
    await warehouse.pool().query('SELECT pg_reload_conf()');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await sessionIsEncrypted(target(warehouse, 'sslmode=disable'))).toBe(false);
    expect(readFileSync(path.join(warehouse.dataDir, 'pg_hba.conf'), 'utf8')).not.toMatch(/^hostnossl/m);

    const missing = (() => {
      try {
        return target(warehouse, `sslmode=verify-ca&sslrootcert=${encodeURIComponent(path.join(scratch, 'absent.crt'))}`);
      } catch (error) {
        return error;
      }
    })();
    expect(isWarehouseError(missing, 'warehouse_config_invalid')).toBe(true);
  });
});
