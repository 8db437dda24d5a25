// Desk settings: defaults, validated saves, and a damaged stored value falling back per field.
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { DEFAULT_SETTINGS, readSettings, saveSettings } from '../../../src/main/core/settings/settings';
import { testCore } from '../../support/core';

let core: Core | undefined;
afterEach(async () => {
  await core?.close();
});

describe('desk settings', () => {
  it('starts from the defaults and keeps a saved change', () => {
    core = testCore();
    expect(readSettings(core.context)).toEqual(DEFAULT_SETTINGS);
    saveSettings(core.context, { undoWindowMs: 8000 });
    expect(readSettings(core.context)).toEqual({ ...DEFAULT_SETTINGS, undoWindowMs: 8000 });
  });

  it('refuses an out-of-range value and changes nothing', () => {
    core = testCore();
    expect(() => saveSettings(core!.context, { undoWindowMs: -1 })).toThrow();
    expect(readSettings(core.context)).toEqual(DEFAULT_SETTINGS);
  });

  it('falls back field by field when the stored JSON is damaged', () => {
    core = testCore();
    core.context.db
      .prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)')
      .run('desk.settings', JSON.stringify({ undoWindowMs: 'soon', soundMuted: true }), 1);
    expect(readSettings(core.context)).toEqual({ ...DEFAULT_SETTINGS, soundMuted: true });
  });
});
