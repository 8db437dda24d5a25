// Every user-visible string exists in both languages, and every error code has a message.
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../../../src/common/contract';
import { warehouseRefusalSchema } from '../../../src/common/contract/warehouse';
import en from '../../../src/renderer/src/i18n/locales/en';
import zhCN from '../../../src/renderer/src/i18n/locales/zh-CN';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key));
}

describe('locales', () => {
  it('have the same keys and no empty strings', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
    for (const locale of [en, zhCN]) {
      for (const key of keys(locale)) {
        const text = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], locale);
        expect(typeof text === 'string' && text.trim().length > 0, key).toBe(true);
      }
    }
  });

  it('translate every error code', () => {
    for (const code of errorCodes) {
      expect(zhCN.errors[code], code).toBeTruthy();
      expect(en.errors[code], code).toBeTruthy();
    }
  });

  it('word every reason a warehouse link is refused', () => {
    for (const code of warehouseRefusalSchema.options) {
      expect(zhCN.warehouse.refusal[code], code).toBeTruthy();
      expect(en.warehouse.refusal[code], code).toBeTruthy();
    }
  });
});
