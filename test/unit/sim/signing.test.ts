// The simulator's signature check against the two documented vectors of docs/platform.md ("Signing").
import { describe, expect, it } from 'vitest';
import { computeSign, signString, verifySign } from '../../../src/main/sim/signing';

const base = {
  access_token: 'token',
  appkey: 'ks123',
  method: 'open.seller.order.list',
  param: '{"title":"短袖"}',
  timestamp: '1583271919000',
  version: '1',
};

describe('sim signing', () => {
  it('builds the sorted raw string with the signSecret appended', () => {
    expect(signString({ ...base, signMethod: 'MD5' }, 'sign-secret')).toBe(
      'access_token=token&appkey=ks123&method=open.seller.order.list&param={"title":"短袖"}&signMethod=MD5&timestamp=1583271919000&version=1&signSecret=sign-secret',
    );
  });
  it('vector A (MD5)', () => {
    expect(computeSign({ ...base, signMethod: 'MD5' }, 'sign-secret', 'MD5')).toBe('6005da269b372ff10945e565ef37a4c6');
  });
  it('vector B (HMAC_SHA256)', () => {
    expect(computeSign({ ...base, signMethod: 'HMAC_SHA256' }, 'sign-secret', 'HMAC_SHA256')).toBe(
      'ZpPrG0oB1g/T93FyyVD+VCzRey41yqxZoCqcGg7upYM=',
    );
  });
  it('rejects wrong signs, other secrets and other params; ignores `sign` and unknown keys', () => {
    const p = { ...base, signMethod: 'MD5', sign: 'whatever', extra: 'x' };
    expect(verifySign(p, 'sign-secret', 'MD5', '6005da269b372ff10945e565ef37a4c6')).toBe(true);
    expect(verifySign(p, 'sign-secret', 'MD5', '6005DA269B372FF10945E565EF37A4C6')).toBe(false);
    expect(verifySign(p, 'other-secret', 'MD5', '6005da269b372ff10945e565ef37a4c6')).toBe(false);
    expect(verifySign({ ...p, param: '{"title":"长袖"}' }, 'sign-secret', 'MD5', '6005da269b372ff10945e565ef37a4c6')).toBe(false);
  });
});
