// No raw tokens in the UI: every courier match field a search can answer has words in both languages.
import { describe, expect, it } from 'vitest';
import { searchCouriers } from '../../../src/common/couriers';
import en from '../../../src/renderer/src/i18n/locales/en';
import zh from '../../../src/renderer/src/i18n/locales/zh-CN';

describe('courier match fields in words', () => {
  it('names the field a courier search matched on, in both languages', () => {
    const fields = new Set(['顺丰', 'sf', 'shunfeng', 'zto', '4', '中通'].flatMap((q) => searchCouriers(q, 8).map((m) => m.matchedOn)));
    expect(fields.size).toBeGreaterThan(1);
    for (const field of fields) {
      expect((zh.courierField as Record<string, string>)[field], field).toBeTruthy();
      expect((en.courierField as Record<string, string>)[field], field).toBeTruthy();
      expect((zh.courierField as Record<string, string>)[field]).not.toBe(field);
    }
  });
});
