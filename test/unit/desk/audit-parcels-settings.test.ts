// The audit log through the API, unmatched parcels, and who may change which desk settings.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/main/core/settings/settings';
import { deskHarness, MAIN, signInAs, withStaff, type DeskHarness } from './support';

let h: DeskHarness;
afterEach(async () => {
  await h?.core.close();
});

describe('audit.list', () => {
  it('needs a signed-in operator and pages newest first', async () => {
    h = deskHarness();
    await h.fails('audit.list', {}, 'not_signed_in');
    await h.ok('operators.bootstrap', MAIN);
    for (let i = 0; i < 4; i++) await h.ok('parcels.registerUnmatched', { code: `SF100000000000${i}` });
    const all = await h.ok('audit.list', {});
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => b - a));
    const page = await h.ok('audit.list', { limit: 2, beforeId: all[0]!.id });
    expect(page.map((e) => e.id)).toEqual([all[1]!.id, all[2]!.id]);
    expect(all[0]).toMatchObject({ action: 'parcels.registerUnmatched', operatorName: 'Boss', scannedCode: 'SF1000000000003' });
  });

  it('cannot be altered through the database either', async () => {
    h = deskHarness();
    await h.ok('operators.bootstrap', MAIN);
    const db = h.core.context.db;
    expect(() => db.prepare("UPDATE audit_log SET operator_name = 'someone else'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(h.count('audit_log')).toBe(1);
  });
});

describe('unmatched parcels', () => {
  it('registers a parcel once per code, with the operator and the normalized number', async () => {
    h = deskHarness();
    await h.fails('parcels.registerUnmatched', { code: 'SF1234567890123' }, 'not_signed_in');
    await h.ok('operators.bootstrap', MAIN);
    const first = await h.ok('parcels.registerUnmatched', { code: ' ｓｆ1234567890123\r\n', note: '  box crushed ' });
    expect(first).toMatchObject({ normalized: 'SF1234567890123', note: 'box crushed', operatorName: 'Boss', resolvedRefundId: null });
    const again = await h.ok('parcels.registerUnmatched', { code: 'SF1234567890123' });
    expect(again.id).toBe(first.id);
    await h.ok('parcels.registerUnmatched', { code: 'HANDWRITTEN?!' });
    const list = await h.ok('parcels.listUnmatched', {});
    expect(list).toHaveLength(2);
    expect(list.find((p) => p.code === 'HANDWRITTEN?!')?.normalized).toBeNull();
  });

  it('refuses garbled, empty or control-only codes with the reason, and stores nothing', async () => {
    h = deskHarness();
    await h.ok('operators.bootstrap', MAIN);
    const before = h.count('audit_log');
    expect((await h.fails('parcels.registerUnmatched', { code: 'ＳＦ１２３中文' }, 'invalid_input')).details).toMatchObject({
      reason: 'garbled_cjk',
    });
    const blank = (await h.fails('parcels.registerUnmatched', { code: '\r\n\t' }, 'invalid_input')).details as { reason: string };
    expect(['empty', 'control_only']).toContain(blank.reason);
    await h.fails('parcels.registerUnmatched', { code: '' }, 'invalid_input');
    await h.fails('parcels.registerUnmatched', { code: 'x'.repeat(3000) }, 'invalid_input');
    await h.fails('parcels.registerUnmatched', { code: 'SF1', note: 'n'.repeat(201) }, 'invalid_input');
    expect(h.count('unmatched_parcels')).toBe(0);
    expect(h.count('audit_log')).toBe(before);
  });
});

describe('settings', () => {
  it('reads without signing in; sound and high contrast are anyone signed in, the rest needs manage_operators, all audited', async () => {
    h = deskHarness();
    expect(await h.ok('settings.get', {})).toEqual(DEFAULT_SETTINGS);
    await h.fails('settings.save', { soundMuted: true }, 'not_signed_in');
    await withStaff(h);
    await signInAs(h, 'Kefu');
    expect((await h.ok('settings.save', { soundMuted: true, soundVolume: 0.2 })).soundMuted).toBe(true);
    expect((await h.ok('settings.save', { highContrast: true })).highContrast).toBe(true);
    await h.fails('settings.save', { highContrast: 'yes' } as unknown as { highContrast: boolean }, 'invalid_input');
    await h.fails('settings.save', { idleTimeoutMs: 8 * 3600_000 }, 'forbidden');
    await h.fails('settings.save', { soundMuted: false, undoWindowMs: 0 }, 'forbidden');
    await signInAs(h, 'Admin');
    await h.fails('settings.save', { undoWindowMs: 999_999 }, 'invalid_input');
    const saved = await h.ok('settings.save', { undoWindowMs: 8000 });
    expect(saved).toEqual({ ...DEFAULT_SETTINGS, soundMuted: true, soundVolume: 0.2, highContrast: true, undoWindowMs: 8000 });
    const entry = (await h.ok('audit.list', {})).find((e) => e.action === 'settings.save');
    expect(entry).toMatchObject({ operatorName: 'Admin', details: { undoWindowMs: { from: 5000, to: 8000 } } });
  });
});
