// Signing matches the two test vectors of docs/platform.md ("Signing") exactly.
import { describe, expect, it } from 'vitest';
import { sign, signString, type SignableParams } from '../../../src/main/core/platform/sign';

const base = {
  access_token: 'token',
  appkey: 'ks123',
  method: 'open.seller.order.list',
  param: '{"title":"短袖"}',
  timestamp: '1583271919000',
  version: '1',
};

describe('sign', () => {
  it('builds the documented string: sorted, raw, signSecret appended', () => {
    expect(signString({ ...base, signMethod: 'MD5' }, 'sign-secret')).toBe(
      'access_token=token&appkey=ks123&method=open.seller.order.list&param={"title":"短袖"}&signMethod=MD5&timestamp=1583271919000&version=1&signSecret=sign-secret',
    );
  });

  it('vector A: MD5', () => {
    expect(sign({ ...base, signMethod: 'MD5' }, 'sign-secret')).toBe('6005da269b372ff10945e565ef37a4c6');
  });

  it('vector B: HMAC_SHA256', () => {
    expect(sign({ ...base, signMethod: 'HMAC_SHA256' }, 'sign-secret')).toBe('ZpPrG0oB1g/T93FyyVD+VCzRey41yqxZoCqcGg7upYM=');
  });

  it('skips nulls and ignores a sign field, and the key order of the input does not matter', () => {
    const shuffled = {
      version: '1',
      timestamp: base.timestamp,
      param: base.param,
      method: base.method,
      appkey: 'ks123',
      signMethod: 'MD5',
      access_token: 'token',
    } as SignableParams;
    expect(sign(shuffled, 'sign-secret')).toBe('6005da269b372ff10945e565ef37a4c6');
    const withSign = { ...base, signMethod: 'MD5', sign: 'x' } as SignableParams;
    expect(sign(withSign, 'sign-secret')).toBe('6005da269b372ff10945e565ef37a4c6');
    expect(signString({ ...base, access_token: null, signMethod: 'MD5' }, 's')).not.toContain('access_token');
  });

  it('a different secret or param changes the signature', () => {
    expect(sign({ ...base, signMethod: 'HMAC_SHA256' }, 'other')).not.toBe('ZpPrG0oB1g/T93FyyVD+VCzRey41yqxZoCqcGg7upYM=');
    expect(sign({ ...base, param: '{"title":"长袖"}', signMethod: 'MD5' }, 'sign-secret')).not.toBe('6005da269b372ff10945e565ef37a4c6');
  });
});
