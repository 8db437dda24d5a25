// Finding 2, second half: start-up recovery reset another live process's `sending` rows and they were sent
// again. A claimed row now carries its owner and a lease; recovery only takes rows whose owner is gone.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { claim, getRow, recoverInFlight } from '../../src/main/core/outbox/store';
import { LEASE_MS, PROCESS_OWNER, ownerGone } from '../../src/main/core/outbox/owner';
import { enqueueConfirm } from '../../src/main/core/outbox/queue';
import { syncShop } from '../../src/main/core/sync/engine';
import { saveSettings } from '../../src/main/core/settings/settings';
import { harnessPerTest, SHOP, type Harness } from '../unit/sync/harness';

const openHarness = harnessPerTest();

async function claimedRow() {
  const h = openHarness();
  h.fake.add({ refundId: '6001', status: 40 });
  await syncShop(h.ctx, SHOP);
  saveSettings(h.ctx, { undoWindowMs: 0 });
  const { outboxId } = enqueueConfirm(h.ctx, { refundId: '6001', operatorId: null });
  return { h, outboxId };
}

const row = (h: Harness, id: string) =>
  h.ctx.db.prepare('SELECT state, owner, lease_until FROM outbox WHERE id = ?').get(id) as {
    state: string;
    owner: string | null;
    lease_until: number | null;
  };

describe('outbox owner and lease', () => {
  it('a claim records this process as owner with a lease', async () => {
    const { h, outboxId } = await claimedRow();
    expect(claim(h.ctx.db, outboxId, '6001', h.clock.now())).toBe(true);
    expect(row(h, outboxId)).toEqual({ state: 'sending', owner: PROCESS_OWNER, lease_until: h.clock.now() + LEASE_MS });
  });

  it("recovery leaves a live owner's row alone (another process on this host, lease running)", async () => {
    const { h, outboxId } = await claimedRow();
    // The test runner's parent is alive and is not us: as if a second desk were sending this row right now.
    const liveOther = `${os.hostname()}/${process.ppid}/other`;
    claim(h.ctx.db, outboxId, '6001', h.clock.now(), liveOther);
    expect(recoverInFlight(h.ctx.db, h.clock.now())).toBe(0);
    expect(row(h, outboxId).state).toBe('sending');
    // Its lease runs out: now it is presumed gone and the row is re-checked before any re-send.
    expect(recoverInFlight(h.ctx.db, h.clock.now() + LEASE_MS)).toBe(1);
    expect(getRow(h.ctx.db, outboxId)).toMatchObject({ state: 'retrying', needs_recheck: 1 });
  });

  it('recovery takes the rows of a dead owner and of an earlier run of this process at once', async () => {
    const { h, outboxId } = await claimedRow();
    const deadPid = 2 ** 22 + 12345; // above pid_max: no such process
    claim(h.ctx.db, outboxId, '6001', h.clock.now(), `${os.hostname()}/${deadPid}/gone`);
    expect(recoverInFlight(h.ctx.db, h.clock.now())).toBe(1);
    expect(row(h, outboxId)).toEqual({ state: 'retrying', owner: null, lease_until: null });
  });

  it('ownerGone: the rule', () => {
    const now = 1_000;
    expect(ownerGone(null, null, now)).toBe(true);
    expect(ownerGone(PROCESS_OWNER, now + 1, now)).toBe(true);
    expect(ownerGone(`${os.hostname()}/${process.ppid}/x`, now + 1, now)).toBe(false);
    expect(ownerGone(`${os.hostname()}/${process.ppid}/x`, now, now)).toBe(true);
    expect(ownerGone(`elsewhere.example/1/x`, now + 1, now)).toBe(false);
  });

  it('ownerGone: a killed owner left as an unreaped zombie is gone (nothing reaps orphans in some containers)', async () => {
    // The child ends after its parent has become `sleep` (which never reaps), so it stays a zombie until the test ends.
    const parent = spawn('sh', ['-c', 'sleep 0.3 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const zombiePid = await new Promise<number>((resolve) =>
      parent.stdout.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim()))),
    );
    try {
      await expect.poll(() => process.kill(zombiePid, 0)).toBe(true);
      await expect.poll(() => ownerGone(`${os.hostname()}/${zombiePid}/x`, 2_000, 1_000), { timeout: 4_000 }).toBe(true);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
