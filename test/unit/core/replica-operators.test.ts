// Operators applied from the warehouse: idempotent, silent (never reported as a local change), and never at the cost
// of this desk's main account or of another operator's name.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { onLocalChange } from '../../../src/main/core/kernel/local-changes';
import { applyReplicatedOperator, exportOperator, type ReplicatedOperator } from '../../../src/main/core/replica/operators';
import { deskHarness, MAIN, withStaff, type DeskHarness } from '../desk/support';

let h: DeskHarness;
let ids: Awaited<ReturnType<typeof withStaff>>;
let reported: string[];
let unsubscribe: () => void;
beforeEach(async () => {
  h = deskHarness();
  reported = [];
  unsubscribe = onLocalChange(h.core.context, 'operators', (changed) => reported.push(...changed));
  ids = await withStaff(h);
});
afterEach(async () => {
  unsubscribe();
  await h.core.close();
});

const record = (over: Partial<ReplicatedOperator> = {}): ReplicatedOperator => ({
  id: '0190a0b0-0000-7000-8000-000000000001',
  name: 'Remote',
  role: 'cs_admin',
  customRoleName: null,
  granted: [],
  disabled: false,
  createdAt: 1_700_000_000_000,
  pinHash: 'scrypt$16384$8$1$aGFzaA==',
  pinSalt: 'c2FsdA==',
  ...over,
});

describe('applyReplicatedOperator', () => {
  it('reports the desk’s own changes, and applies a remote operator once without reporting it', async () => {
    expect(reported).toEqual([ids.main, ids.admin, ids.cs, ids.custom]);
    expect(applyReplicatedOperator(h.core.context, record())).toBe('applied');
    expect(applyReplicatedOperator(h.core.context, record())).toBe('unchanged');
    expect(exportOperator(h.core.context, record().id)).toEqual(record());
    expect(applyReplicatedOperator(h.core.context, record({ disabled: true, role: 'admin' }))).toBe('applied');
    expect(exportOperator(h.core.context, record().id)).toMatchObject({ disabled: true, role: 'admin' });
    expect(reported).toHaveLength(4);
  });

  it('never disables nor demotes this desk’s main account, but takes its new PIN', () => {
    const main = exportOperator(h.core.context, ids.main)!;
    const outcome = applyReplicatedOperator(h.core.context, { ...main, disabled: true, role: 'admin', pinHash: 'scrypt$1$1$1$bmV3' });
    expect(outcome).toBe('applied');
    expect(exportOperator(h.core.context, ids.main)).toMatchObject({ role: 'main', disabled: false, pinHash: 'scrypt$1$1$1$bmV3' });
    expect(applyReplicatedOperator(h.core.context, { ...main, pinHash: 'scrypt$1$1$1$bmV3', disabled: true })).toBe('unchanged');
  });

  it('refuses another desk’s main account and a name held here by another operator, changing nothing', () => {
    const before = h.count('operators');
    expect(applyReplicatedOperator(h.core.context, record({ role: 'main' }))).toBe('second_main');
    expect(applyReplicatedOperator(h.core.context, record({ name: MAIN.name.toUpperCase() }))).toBe('name_taken');
    expect(h.count('operators')).toBe(before);
  });

  it('rejects a malformed record with a typed parse error', () => {
    expect(() => applyReplicatedOperator(h.core.context, record({ role: 'owner' as never }))).toThrow(/role/);
  });
});
