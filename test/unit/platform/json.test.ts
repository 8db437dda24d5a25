// Lossless JSON: ids above 2^53 survive parsing as strings and are written back as bare numbers.
import { describe, expect, it } from 'vitest';
import { parseWire, stringifyParam, wireId } from '../../../src/main/core/platform/json';

const BIG = '9007199254740993123'; // 19 digits, far above 2^53

describe('lossless wire JSON', () => {
  it('keeps big ids as their exact decimal text and small numbers as numbers', () => {
    const parsed = parseWire(`{"refundId":${BIG},"fee":1999,"nested":[{"oid":9007199254740993}]}`) as Record<string, unknown>;
    expect(parsed.refundId).toBe(BIG);
    expect(parsed.fee).toBe(1999);
    expect((parsed.nested as { oid: unknown }[])[0]!.oid).toBe('9007199254740993');
  });

  it('writes ids as bare JSON numbers without a JS number in between', () => {
    const text = stringifyParam({ refundId: wireId(BIG), expressNo: 'SF123', expressCode: 4 });
    expect(text).toBe(`{"refundId":${BIG},"expressNo":"SF123","expressCode":4}`);
    expect(JSON.stringify(JSON.parse(text).refundId)).not.toBe(BIG); // what a plain JS round trip would have done
  });

  it('refuses anything that is not a decimal id', () => {
    for (const bad of ['', '12a', '1e5', '-5', '0x10', ' 12', '123456789012345678901']) expect(() => wireId(bad)).toThrow(TypeError);
  });

  it('throws on text that is not JSON', () => {
    expect(() => parseWire('<html>502</html>')).toThrow();
  });
});
