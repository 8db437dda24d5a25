// The simulator's daily quota, version-race and garbage faults: the parsing, the day boundary and the raw wire answers.
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/main/sim';
import { FaultDice, parseFaults } from '../../../src/main/sim/faults';
import { DailyQuota, platformDay } from '../../../src/main/sim/quota';
import { computeSign } from '../../../src/main/sim/signing';

let sim: RunningSimulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

/** One signed GET of the detail method, answered as raw text (no client in between). */
async function rawDetail(s: RunningSimulator, refundId: string): Promise<{ status: number; type: string; body: string }> {
  const c = s.credentials;
  const common: Record<string, string> = {
    access_token: c.accessToken,
    appkey: c.appKey,
    method: 'open.seller.order.refund.detail',
    param: `{"refundId":${refundId}}`,
    signMethod: 'HMAC_SHA256',
    timestamp: String(Date.now()),
    version: '1',
  };
  const query = new URLSearchParams({ ...common, sign: computeSign(common, c.signSecret, 'HMAC_SHA256') });
  const answer = await fetch(`${s.baseUrl}/open/seller/order/refund/detail?${query.toString()}`);
  return { status: answer.status, type: answer.headers.get('content-type') ?? '', body: await answer.text() };
}

describe('fault settings', () => {
  it('parses the new fault names and refuses rates outside 0..1', () => {
    expect(parseFaults('conflict=0.25,garbage=0.5,seed=x')).toEqual({ versionConflictRate: 0.25, garbageRate: 0.5, seed: 'x' });
    expect(() => parseFaults('garbage=2')).toThrow(/garbageRate/);
  });

  it('garbage is either an HTML page or JSON cut short, never something that parses', () => {
    const dice = new FaultDice({ seed: 'g' });
    const body = JSON.stringify({ result: 1, error_msg: 'SUCCESS', code: '0', data: { refundId: 1, status: 40 }, requestId: 'r' });
    const kinds = new Set<string>();
    for (let i = 0; i < 40; i += 1) {
      const g = dice.garbage(body);
      kinds.add(g.type.split(';')[0]!);
      expect(() => JSON.parse(g.text)).toThrow();
      if (g.type.startsWith('application/json')) expect(body.startsWith(g.text)).toBe(true);
    }
    expect(kinds).toEqual(new Set(['text/html', 'application/json']));
  });
});

describe('daily quota', () => {
  it('counts per API and platform day (Beijing time) and starts again at its midnight', () => {
    const beforeMidnight = Date.UTC(2024, 2, 10, 15, 59, 59); // 23:59:59 in Beijing
    const q = new DailyQuota(2);
    expect(q.take(beforeMidnight, 'api.a')).toBe(true);
    expect(q.take(beforeMidnight, 'api.a')).toBe(true);
    expect(q.take(beforeMidnight, 'api.a')).toBe(false);
    // Another API has its own allowance.
    expect(q.take(beforeMidnight, 'api.b')).toBe(true);
    expect(q.state(beforeMidnight)).toEqual({ dailyQuota: 2, used: 3, usedByApi: { 'api.a': 2, 'api.b': 1 }, day: '2024-03-10' });
    expect(platformDay(beforeMidnight + 1000)).toBe(platformDay(beforeMidnight) + 1);
    expect(q.take(beforeMidnight + 1000, 'api.a')).toBe(true);
    expect(q.state(beforeMidnight + 1000)).toMatchObject({ used: 1, day: '2024-03-11' });
    // A clock moved back does not hand out the old day's allowance again.
    expect(q.take(beforeMidnight, 'api.a')).toBe(true);
    expect(q.take(beforeMidnight, 'api.a')).toBe(false);
  });

  it('unlimited by default; over the wire the quota answer is [1017] with both documented messages, and a refused call is not counted', async () => {
    sim = await startSimulator({ seed: 'quota-wire', afterSales: 5 });
    const made = sim.control.addAfterSale({ status: 30 });
    for (let i = 0; i < 3; i += 1) expect(JSON.parse((await rawDetail(sim, made.refundId)).body)).toMatchObject({ result: 1 });
    expect(sim.control.quota()).toMatchObject({ dailyQuota: null, used: 3 });
    sim.control.setDailyQuota(3);
    const refused = await rawDetail(sim, made.refundId);
    expect(refused.status).toBe(200);
    expect(JSON.parse(refused.body)).toMatchObject({
      result: 1017,
      code: '1017',
      error_msg: `Exceed quota limit, KEY [${sim.credentials.appKey}:open.seller.order.refund.detail]`,
      sub_code: 'QUOTA_LIMIT',
      sub_msg: expect.stringContaining('[1017] exceed quota limit,[apiId:open.seller.order.refund.detail]'),
    });
    expect(sim.control.quota().used).toBe(3);
    expect(sim.control.stats().calls['open.seller.order.refund.detail']).toBe(4);
    sim.control.resetQuotaDay();
    expect(JSON.parse((await rawDetail(sim, made.refundId)).body)).toMatchObject({ result: 1 });
    sim.control.setDailyQuota(null);
    expect(sim.control.quota()).toMatchObject({ dailyQuota: null, used: 1 });
    expect(() => sim!.control.setDailyQuota(-1)).toThrow(/dailyQuota/);
  });

  it('a garbage answer is HTTP 200 and not the envelope', async () => {
    sim = await startSimulator({ seed: 'garbage-wire', afterSales: 5, faults: { garbageRate: 1, seed: 'w' } });
    const made = sim.control.addAfterSale({ status: 30 });
    for (let i = 0; i < 4; i += 1) {
      const answer = await rawDetail(sim, made.refundId);
      expect(answer.status).toBe(200);
      expect(() => JSON.parse(answer.body)).toThrow();
    }
  });
});
