// Shared settings applied from the warehouse: only the warehouse-wide rules, in range, once, and never reported back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { onLocalChange } from '../../../src/main/core/kernel/local-changes';
import { applyReplicatedSetting, exportSharedSettings } from '../../../src/main/core/replica/settings';
import { readSettings } from '../../../src/main/core/settings/settings';
import { deskHarness, withStaff, type DeskHarness } from '../desk/support';

let h: DeskHarness;
let reported: string[];
let unsubscribe: () => void;
beforeEach(async () => {
  h = deskHarness();
  await withStaff(h);
  reported = [];
  unsubscribe = onLocalChange(h.core.context, 'settings', (keys) => reported.push(...keys));
});
afterEach(async () => {
  unsubscribe();
  await h.core.close();
});

describe('shared settings', () => {
  it('shares nothing before the desk stored a choice, then only the warehouse-wide rules', async () => {
    expect(exportSharedSettings(h.core.context)).toEqual({});
    await h.ok('settings.save', { undoWindowMs: 7_000, soundMuted: true });
    expect(reported).toEqual(['undoWindowMs']);
    const shared = exportSharedSettings(h.core.context);
    expect(shared).toMatchObject({ undoWindowMs: 7_000 });
    expect(Object.keys(shared)).not.toContain('soundMuted');
  });

  it('applies a rule once, quietly; refuses a personal setting or a value out of range, changing nothing', () => {
    expect(applyReplicatedSetting(h.core.context, 'idleTimeoutMs', 300_000)).toBe('applied');
    expect(applyReplicatedSetting(h.core.context, 'idleTimeoutMs', 300_000)).toBe('unchanged');
    expect(readSettings(h.core.context).idleTimeoutMs).toBe(300_000);
    expect(applyReplicatedSetting(h.core.context, 'soundVolume', 0)).toBe('not_shared');
    expect(applyReplicatedSetting(h.core.context, 'undoWindowMs', -5)).toBe('invalid');
    expect(readSettings(h.core.context).soundVolume).not.toBe(0);
    expect(reported).toEqual([]);
  });
});
