// The settings dialog's logic: units, the patch of what changed (sound only without manage_operators), the core's
// refusals tied to their field; and the settings key in the keyboard map and its document.
import { describe, expect, it } from 'vitest';
import { DeskError, deskSettingsSchema, type DeskSettings } from '../../../src/common/contract';
import { buildPatch, refusalOf, toForm } from '../../../src/renderer/src/settings/settings-form';
import { KEYMAP } from '../../../src/renderer/src/app/keymap';
import doc from '../../../docs/keyboard.md?raw';

const SETTINGS: DeskSettings = {
  undoWindowMs: 5_000,
  idleTimeoutMs: 15 * 60_000,
  duplicateScanWindowMs: 3 * 60_000,
  syncIntervalMs: 60_000,
  soundVolume: 0.6,
  soundMuted: false,
  highContrast: false,
  videoRecording: false,
  videoRetentionDays: 30,
};

describe('settings form', () => {
  it('shows seconds, minutes and a 0–100 volume, and an untouched form changes nothing', () => {
    const form = toForm(SETTINGS);
    expect(form).toEqual({
      volume: 60,
      muted: false,
      highContrast: false,
      admin: { undoWindowMs: '5', idleTimeoutMs: '15', duplicateScanWindowMs: '3', syncIntervalMs: '60' },
    });
    expect(buildPatch(SETTINGS, form, true)).toEqual({ ok: true, patch: {} });
  });

  it('sends only what changed, in ms, and only sound keys without manage_operators', () => {
    const form = toForm(SETTINGS);
    form.volume = 35;
    form.muted = true;
    form.admin.undoWindowMs = '1.5';
    form.admin.idleTimeoutMs = '30';
    const patch = { soundVolume: 0.35, soundMuted: true, undoWindowMs: 1_500, idleTimeoutMs: 1_800_000 };
    expect(buildPatch(SETTINGS, form, true)).toEqual({ ok: true, patch });
    expect(deskSettingsSchema.partial().strict().safeParse(patch).success).toBe(true);
    expect(buildPatch(SETTINGS, form, false)).toEqual({ ok: true, patch: { soundVolume: 0.35, soundMuted: true } });
  });

  it('sends the high-contrast display, for any operator', () => {
    const form = toForm(SETTINGS);
    form.highContrast = true;
    expect(buildPatch(SETTINGS, form, false)).toEqual({ ok: true, patch: { highContrast: true } });
    expect(buildPatch({ ...SETTINGS, highContrast: true }, toForm({ ...SETTINGS, highContrast: true }), true)).toEqual({
      ok: true,
      patch: {},
    });
  });

  it('catches what is not a number and leaves ranges to the core', () => {
    const form = toForm(SETTINGS);
    form.admin.syncIntervalMs = 'abc';
    expect(buildPatch(SETTINGS, form, true)).toEqual({ ok: false, field: 'syncIntervalMs' });
    form.admin.syncIntervalMs = '';
    expect(buildPatch(SETTINGS, form, true)).toEqual({ ok: false, field: 'syncIntervalMs' });
    form.admin.syncIntervalMs = '60';
    form.admin.idleTimeoutMs = '0';
    expect(buildPatch(SETTINGS, form, true)).toEqual({ ok: true, patch: { idleTimeoutMs: 0 } });
  });

  it('names the field the core refused, and a refusal for lack of permission', () => {
    const range = new DeskError('invalid_input', 'Invalid input for settings.save: idleTimeoutMs Too small', {
      issues: [{ path: 'idleTimeoutMs', message: 'Too small' }],
    });
    expect(refusalOf(range)).toMatchObject({ kind: 'range', field: 'idleTimeoutMs' });
    expect(refusalOf(new DeskError('invalid_input', 'x', { issues: [{ path: 'bogus' }] }))).toMatchObject({ kind: 'range', field: null });
    expect(refusalOf(new DeskError('forbidden', 'needs manage_operators'))).toMatchObject({ kind: 'forbidden', field: null });
    expect(refusalOf(new DeskError('platform_unavailable', 'down'))).toMatchObject({ kind: 'other' });
    expect(refusalOf(new Error('boom'))).toMatchObject({ kind: 'other', message: 'boom' });
  });
});

describe('keyboard map document', () => {
  it('lists every global key of the in-app map, the settings key included', () => {
    const global = KEYMAP.find((g) => g.group === 'global')!;
    expect(global.bindings.map((b) => b.keys)).toContain('Ctrl+,');
    for (const binding of global.bindings) expect(doc, binding.keys).toContain(`| \`${binding.keys}\``);
  });
});
