// Pure desk logic: money and deadline formatting, distinct sounds, and the
// dialog stack that decides when held scans may be handled.
import { describe, expect, it } from 'vitest';
import { formatFen, secondsLeft, statusKey, statusName, timeLeft } from '../../../src/renderer/src/ui/format';
import { TONES, toneSignature } from '../../../src/renderer/src/sound/tones';
import { deskIdle, dialogStack, onAllDialogsClosed, openDialog, withFlow } from '../../../src/renderer/src/ui/dialogs';
import { KEYMAP } from '../../../src/renderer/src/app/keymap';
import en from '../../../src/renderer/src/i18n/locales/en';

describe('format', () => {
  it('turns fen into yuan with two decimals', () => {
    expect(formatFen(12_900)).toBe('¥129.00');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(100_001)).toBe('¥1000.01');
    expect(formatFen(-250)).toBe('-¥2.50');
  });

  it('says how long is left before a deadline, urgent when close', () => {
    const hour = 3_600_000;
    expect(timeLeft(null, 0)).toMatchObject({ key: 'none', urgent: false });
    expect(timeLeft(10, 20)).toMatchObject({ key: 'overdue', urgent: true });
    expect(timeLeft(30 * 60_000, 0)).toMatchObject({ key: 'minutes', params: { minutes: 30 }, urgent: true });
    expect(timeLeft(5 * hour + 60_000 * 7, 0)).toMatchObject({ key: 'hours', params: { hours: 5, minutes: 7 }, urgent: true });
    expect(timeLeft(50 * hour, 0)).toMatchObject({ key: 'days', params: { days: 2, hours: 2 }, urgent: false });
    expect(secondsLeft(5_001, 0)).toBe(6);
    expect(secondsLeft(0, 10)).toBe(0);
  });

  it('names every status of docs/platform.md and leaves others verbatim', () => {
    for (const s of [10, 11, 12, 20, 21, 22, 23, 30, 40, 45, 50, 60, 70]) {
      const key = statusKey(s)!;
      expect(key).toBe(`platform.status.s${s}`);
      expect((en.platform.status as Record<string, string>)[`s${s}`]).toBeTruthy();
    }
    expect(statusKey(99)).toBeNull();
    const t = (key: string) => `<${key}>`;
    expect(statusName(t, 30)).toBe('<platform.status.s30>');
    expect(statusName(t, 99)).toBe('99');
  });
});

describe('sounds', () => {
  it('gives every outcome its own sound', () => {
    const signatures = Object.values(TONES).map(toneSignature);
    expect(new Set(signatures).size).toBe(signatures.length);
  });
});

describe('keyboard map', () => {
  it('has a translated description for every binding', () => {
    for (const group of KEYMAP) {
      expect((en.keymap.group as Record<string, string>)[group.group]).toBeTruthy();
      for (const binding of group.bindings) expect((en.keymap as Record<string, unknown>)[binding.action], binding.action).toBeTruthy();
    }
  });
});

describe('dialog stack', () => {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

  it('is idle only when no dialog is open and no flow runs, and says so once it is', async () => {
    let idleCalls = 0;
    const off = onAllDialogsClosed(() => idleCalls++);
    const flow = withFlow(async () => {
      const first = openDialog<string>({});
      expect(deskIdle()).toBe(false);
      dialogStack[0]!.close('upload');
      expect(await first).toBe('upload');
      // Between two dialogs of one flow the desk is still busy: held scans must wait.
      expect(deskIdle()).toBe(false);
      const second = openDialog<string>({});
      await tick();
      expect(idleCalls).toBe(0);
      dialogStack[0]!.close(null);
      return second;
    });
    expect(await flow).toBeNull();
    await tick();
    expect(deskIdle()).toBe(true);
    expect(idleCalls).toBe(1);
    off();
  });
});
