// A refused sign-in says what happened and until when: attempts left after a wrong PIN, the lock's end time.
import { describe, expect, it } from 'vitest';
import { DeskError } from '../../../src/common/contract';
import { signInErrorText } from '../../../src/renderer/src/operators/sign-in-text';
import en from '../../../src/renderer/src/i18n/locales/en';
import zh from '../../../src/renderer/src/i18n/locales/zh-CN';

function translator(messages: Record<string, unknown>) {
  return (key: string, params: Record<string, unknown> = {}) => {
    const template = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], messages) as string;
    return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name]));
  };
}

const now = new Date(2026, 10, 30, 14, 5, 0).getTime();

describe('sign-in error text', () => {
  it('a wrong PIN says how many attempts are left, not "sign in first"', () => {
    const error = new DeskError('not_signed_in', 'Wrong name or PIN', { reason: 'wrong_credentials', attemptsLeft: 3 });
    const text = signInErrorText(translator(en), error, now);
    expect(text).toContain('3');
    expect(text).toMatch(/Wrong name or PIN/);
    expect(text).not.toMatch(/Sign in as an operator first/);
    expect(signInErrorText(translator(zh), error, now)).toContain('再错 3 次');
  });

  it('the lockout (and the fifth wrong PIN that starts it) says until when', () => {
    const locked = new DeskError('rate_limited', 'Too many wrong PINs', { reason: 'locked', retryAfterMs: 25_500 });
    expect(signInErrorText(translator(en), locked, now)).toContain('locked until 14:05:25 (26 s)');
    const fifth = new DeskError('not_signed_in', 'Wrong name or PIN', {
      reason: 'wrong_credentials',
      attemptsLeft: 0,
      retryAfterMs: 30_000,
    });
    expect(signInErrorText(translator(zh), fifth, now)).toContain('14:05:30');
  });

  it('anything else keeps the general error text', () => {
    const text = signInErrorText(translator(en), new DeskError('platform_unavailable', 'down'), now);
    expect(text).toBe(en.errors.platform_unavailable.replace('{message}', 'down'));
  });
});
