// normalizeScan: every step of docs/waybill-numbers.md, table-driven, plus every rejection reason.
import { describe, expect, it } from 'vitest';
import { MAX_RAW_SCAN_LENGTH, normalizeScan, type NormalizeNote, type RejectReason, type ScanSource } from '../../../src/common/waybill';

const SF_QR = "MMM={'k1':'755WF','k2':'021F','k3':'','k4':'T4','k5':'SF1405432155789','k6':'','k7':'a8f2c1'}";

describe('normalizeScan accepts', () => {
  it.each<[string, string, string, ScanSource, NormalizeNote[]]>([
    ['plain', 'SF1234567890123', 'SF1234567890123', 'plain', []],
    ['lower case and padding', '  sf1234567890123  ', 'SF1234567890123', 'plain', []],
    ['full-width', 'ＳＦ１２３４５６７８９０１２３', 'SF1234567890123', 'plain', ['unicode_normalized']],
    ['AIM ]C0', ']C0SF1234567890123', 'SF1234567890123', 'plain', ['aim_prefix_removed']],
    ['AIM ]C1 with CR LF', ']C1JT1234567890123\r\n', 'JT1234567890123', 'plain', ['control_chars_removed', 'aim_prefix_removed']],
    ['AIM ]Q1', ']Q1YT1234567890123', 'YT1234567890123', 'plain', ['aim_prefix_removed']],
    ['AIM ]Q3', ']Q3773012345678901', '773012345678901', 'plain', ['aim_prefix_removed']],
    ['AIM ]d2 lower case', ']d2EB000717595HK', 'EB000717595HK', 'plain', ['aim_prefix_removed']],
    ['GS inside', 'SF12345\u001D67890123', 'SF1234567890123', 'plain', ['control_chars_removed']],
    ['trailing tab', 'SF1234567890123\t', 'SF1234567890123', 'plain', ['control_chars_removed']],
    ['trailing LF', 'SF1234567890123\n', 'SF1234567890123', 'plain', ['control_chars_removed']],
    ['zero-width and BOM', '\uFEFFSF12345\u200B67890123', 'SF1234567890123', 'plain', ['control_chars_removed']],
    ['spaces and dashes', '7730 1234-5678 901', '773012345678901', 'plain', ['separators_removed']],
    [
      'full-width space and dash',
      '７７３０　１２３４－５６７８９０１',
      '773012345678901',
      'plain',
      ['unicode_normalized', 'separators_removed'],
    ],
    ['SF QR payload', SF_QR, 'SF1405432155789', 'sf-qr', ['sf_qr_unwrapped']],
    [
      'SF QR after AIM + LF',
      `]Q1${SF_QR}\n`,
      'SF1405432155789',
      'sf-qr',
      ['control_chars_removed', 'aim_prefix_removed', 'sf_qr_unwrapped'],
    ],
    ['EMS QR URL', 'https://mini.ems.com.cn/youzheng/mini/1100071759500', '1100071759500', 'ems-qr', ['ems_qr_unwrapped']],
    [
      'EMS QR URL with query',
      'HTTPS://MINI.EMS.COM.CN/youzheng/mini/1100071759500?from=qr',
      '1100071759500',
      'ems-qr',
      ['ems_qr_unwrapped'],
    ],
    ['general URL', 'https://track.example.com/q?no=JT1234567890123&lang=zh', 'JT1234567890123', 'url', ['token_extracted']],
    ['JSON payload', '{"orderNo":"X1","waybill":"SF1234567890123","ts":1700000000000}', 'SF1234567890123', 'json', ['token_extracted']],
    ['JD suffix -1-3-', 'JDVA00000000001-1-3-', 'JDVA00000000001', 'plain', ['parcel_suffix_removed']],
    ['JD suffix -2-3-1', 'JDX000123456789-2-3-1', 'JDX000123456789', 'plain', ['parcel_suffix_removed']],
    ['JD suffix N1S3H', 'JDVA00000000001N1S3H', 'JDVA00000000001', 'plain', ['parcel_suffix_removed']],
    ['JD suffix in URL', 'https://x.jd.com/p/JDVA00000000001-1-3-', 'JDVA00000000001', 'url', ['token_extracted', 'parcel_suffix_removed']],
    ['Deppon child label', 'DPK123456789012-2', 'DPK123456789012', 'plain', ['parcel_suffix_removed']],
    ['KY child label', 'KY4000123456789-000001', 'KY4000123456789', 'plain', ['parcel_suffix_removed']],
    ['unknown shape kept', 'ABC123', 'ABC123', 'plain', []],
  ])('%s', (_label, raw, value, source, notes) => {
    const result = normalizeScan(raw);
    expect(result).toEqual({
      ok: true,
      value,
      source,
      notes,
      ...(source === 'sf-qr' ? { courierHint: 4 } : {}),
      ...(source === 'ems-qr' ? { courierHint: 2 } : {}),
    });
  });
});

describe('normalizeScan rejects', () => {
  it.each<[string, string, RejectReason]>([
    ['empty string', '', 'empty'],
    ['whitespace', '   ', 'empty'],
    ['enter only', '\r\n', 'empty'],
    ['only dashes', '- - -', 'empty'],
    ['GS only', '\u001D\u001D', 'control_only'],
    ['AIM prefix only', ']C1\u001D', 'control_only'],
    ['garbled by pinyin IME', '说法1234567890123', 'garbled_cjk'],
    ['CJK punctuation', 'SF12345。67890123', 'garbled_cjk'],
    ['full-width comma becomes ASCII', 'SF12345，67890123', 'invalid_characters'],
    ['SSCC carton', '00012345678901234567', 'sscc_carton'],
    ['SSCC with AIM and GS', ']C1\u001D00012345678901234567', 'sscc_carton'],
    ['SF QR without k5', "MMM={'k1':'755WF','k5':''}", 'no_waybill_in_payload'],
    ['URL without waybill', 'https://example.com/product/abc?id=42', 'no_waybill_in_payload'],
    ['JSON without waybill', '{"a":"b"}', 'no_waybill_in_payload'],
    ['punctuation', 'SF1234/567890123', 'invalid_characters'],
    ['long single token', 'A'.repeat(41), 'too_long'],
    ['absurdly long input', 'SF1234567890123'.repeat(200), 'too_long'],
  ])('%s', (_label, raw, reason) => {
    const result = normalizeScan(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe(reason);
    expect(result.message.length).toBeGreaterThan(10);
  });

  it('bounds the raw length exactly at MAX_RAW_SCAN_LENGTH', () => {
    const padded = 'SF1234567890123'.padEnd(MAX_RAW_SCAN_LENGTH, ' ');
    expect(normalizeScan(padded)).toMatchObject({ ok: true, value: 'SF1234567890123' });
    expect(normalizeScan(padded + ' ')).toMatchObject({ ok: false, reason: 'too_long' });
  });

  it('never throws on hostile input', () => {
    for (const raw of ['\u0000', ']', ']]]', '{', 'MMM={', 'http://', '\uD800', '🙂', undefined as unknown as string]) {
      expect(() => normalizeScan(raw)).not.toThrow();
    }
  });
});
