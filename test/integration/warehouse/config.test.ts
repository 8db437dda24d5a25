// Warehouse settings: where the URL comes from, how it is parsed, TLS options, and desk-made UUIDv7 ids.
import { describe, expect, it } from 'vitest';
import { describeTarget, parseWarehouseUrl, pgSslOption, resolveWarehouseUrl } from '../../../src/main/warehouse/config';
import { isWarehouseError } from '../../../src/main/warehouse/errors';
import { isUuidv7, uuidv7, uuidv7Time } from '../../../src/main/warehouse/uuid7';

const URL_A = 'postgres://desk@10.0.0.5:5433/returndesk';

describe('resolveWarehouseUrl', () => {
  it('prefers the command line, then the environment, then the settings', () => {
    const settings = { url: 'postgres://s@h/d' };
    const env = { RETURNDESK_WAREHOUSE_URL: 'postgres://e@h/d' };
    expect(resolveWarehouseUrl({ argv: ['--warehouse', URL_A], env, settings })).toEqual({ url: URL_A, source: 'argument' });
    expect(resolveWarehouseUrl({ argv: [`--warehouse=${URL_A}`], env, settings })?.source).toBe('argument');
    expect(resolveWarehouseUrl({ argv: [], env, settings })).toEqual({ url: env.RETURNDESK_WAREHOUSE_URL, source: 'environment' });
    expect(resolveWarehouseUrl({ argv: [], env: {}, settings })).toEqual({ url: settings.url, source: 'settings' });
    expect(resolveWarehouseUrl({ argv: [], env: { RETURNDESK_WAREHOUSE_URL: '  ' }, settings: null })).toBeNull();
  });

  it('refuses a --warehouse flag without a URL', () => {
    expect(() => resolveWarehouseUrl({ argv: ['--warehouse', '--other'] })).toThrow(/needs a URL/);
  });
});

describe('parseWarehouseUrl', () => {
  it('reads host, port, database, user and password', () => {
    const target = parseWarehouseUrl('postgresql://desk%201:p%40ss@[::1]:6000/return%20desk');
    expect(target).toEqual({
      host: '::1',
      port: 6000,
      database: 'return desk',
      user: 'desk 1',
      password: 'p@ss',
      tls: { mode: 'disable' },
    });
    expect(parseWarehouseUrl('postgres://u@host/db').port).toBe(5432);
  });

  it('maps sslmode and lets explicit TLS settings and an unsealed password win', () => {
    expect(parseWarehouseUrl(`${URL_A}?sslmode=require`).tls).toEqual({ mode: 'require' });
    const target = parseWarehouseUrl(`${URL_A}?sslmode=require`, { tls: { mode: 'verify-full', caPem: 'PEM' }, password: 'sealed' });
    expect(target.tls.mode).toBe('verify-full');
    expect(target.password).toBe('sealed');
  });

  it.each([
    ['not a url', /not a URL/],
    ['mysql://u@h/d', /must start with postgres/],
    ['postgres://u@h/', /exactly one database/],
    ['postgres://h/d', /names no user/],
    ['postgres://u@h/d?sslmode=sometimes', /unknown sslmode/],
    ['postgres://u@h/d?sslmode=verify-full', /CA certificate/],
  ])('refuses %s with a typed error', (url, message) => {
    let caught: unknown;
    try {
      parseWarehouseUrl(url);
    } catch (error) {
      caught = error;
    }
    expect(isWarehouseError(caught, 'warehouse_config_invalid')).toBe(true);
    expect((caught as Error).message).toMatch(message);
  });

  it('describes a target without its password', () => {
    const text = describeTarget(parseWarehouseUrl('postgres://desk:hunter2@h:1/d?sslmode=require'));
    expect(text).toBe('postgres://desk@h:1/d (tls require)');
    expect(text).not.toContain('hunter2');
  });

  it('turns TLS modes into pg ssl options', () => {
    expect(pgSslOption({ mode: 'disable' })).toBe(false);
    expect(pgSslOption({ mode: 'require' })).toEqual({ rejectUnauthorized: false });
    expect(pgSslOption({ mode: 'verify-full', caPem: 'PEM' })).toEqual({ rejectUnauthorized: true, ca: 'PEM' });
    const verifyCa = pgSslOption({ mode: 'verify-ca', caPem: 'PEM' });
    expect(verifyCa && verifyCa.rejectUnauthorized && typeof verifyCa.checkServerIdentity).toBe('function');
  });
});

describe('uuidv7', () => {
  it('makes version-7 ids carrying their time, unique and ordered across milliseconds', () => {
    const at = Date.UTC(2026, 10, 30);
    const id = uuidv7(at);
    expect(isUuidv7(id)).toBe(true);
    expect(uuidv7Time(id)).toBe(at);
    const many = Array.from({ length: 1000 }, () => uuidv7(at));
    expect(new Set(many).size).toBe(1000);
    expect(uuidv7(at) < uuidv7(at + 1)).toBe(true);
    expect(uuidv7(0, Buffer.alloc(10, 0xff))).toBe('00000000-0000-7fff-bfff-ffffffffffff');
  });

  it('refuses a timestamp it cannot encode', () => {
    expect(() => uuidv7(-1)).toThrow(RangeError);
    expect(() => uuidv7(2 ** 48)).toThrow(RangeError);
    expect(isUuidv7('0190a0b0-0000-4000-8000-000000000000')).toBe(false);
  });
});
