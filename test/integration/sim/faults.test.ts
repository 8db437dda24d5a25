// Injected faults: latency, 5xx, resets, writes applied then hung, QPS errors, token expiry; deterministic dice.
import { afterEach, describe, expect, it } from 'vitest';
import { parseFaults, startSimulator, type RunningSimulator } from '../../../src/main/sim/index';
import { call, testClock } from './signed-request';

const DETAIL = 'open.seller.order.refund.detail';
const CONFIRM = 'open.seller.order.refund.confirm.receipt';
let sim: RunningSimulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

async function outcome(
  s: RunningSimulator,
  method = DETAIL,
  param: string | Record<string, unknown> = '{"refundId":1}',
  timeoutMs = 3000,
): Promise<string> {
  try {
    const r = await call(s, method, param, { timeoutMs });
    return r.status !== 200 ? `http${r.status}` : `r${r.body.result}`;
  } catch (e) {
    return (e as Error).name === 'TimeoutError' ? 'timeout' : 'network';
  }
}

describe('sim faults', () => {
  it('parses the CLI form and validates rates', () => {
    expect(parseFaults('latency=50,jitter=10,5xx=0.1,reset=0.2,timeout=0.3,hang=100,qps=0.4,expiry=0.05,seed=9')).toEqual({
      latencyMs: 50,
      jitterMs: 10,
      serverErrorRate: 0.1,
      resetRate: 0.2,
      timeoutAfterWriteRate: 0.3,
      hangMs: 100,
      qpsErrorRate: 0.4,
      tokenExpiryRate: 0.05,
      seed: '9',
    });
    expect(() => parseFaults('reset=2')).toThrow(/0..1/);
    expect(() => parseFaults('bogus=1')).toThrow(/unknown fault/);
  });

  it('adds latency', async () => {
    sim = await startSimulator({ afterSales: 5, faults: { latencyMs: 150 } });
    const t0 = performance.now();
    await call(sim, DETAIL, '{"refundId":1}');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('answers 5xx, resets connections and sends QPS errors at the set rates, deterministically', async () => {
    const run = async () => {
      const s = await startSimulator({ afterSales: 5, faults: { serverErrorRate: 0.3, resetRate: 0.2, qpsErrorRate: 0.2, seed: 3 } });
      const out: string[] = [];
      for (let k = 0; k < 30; k += 1) out.push(await outcome(s));
      await s.close();
      return out;
    };
    const a = await run();
    expect(a).toContain('http502');
    expect(a).toContain('network');
    expect(a).toContain('r16');
    expect(a).toContain('r300011');
    expect(await run()).toEqual(a);
  });

  it('faults can target one method and be changed at run time', async () => {
    sim = await startSimulator({ afterSales: 5 });
    sim.control.setFaults({ serverErrorRate: 1, methods: [CONFIRM] });
    expect(await outcome(sim)).toBe('r300011');
    expect(await outcome(sim, CONFIRM, '{"refundId":1}')).toBe('http502');
    sim.control.setFaults({});
    expect(await outcome(sim, CONFIRM, '{"refundId":1}')).toBe('r300011');
  });

  it('timeout after write: the confirm is applied but the client gets no answer', async () => {
    const clock = testClock();
    sim = await startSimulator({ afterSales: 5, now: clock.now, faults: { timeoutAfterWriteRate: 1, hangMs: 10_000 } });
    const a = sim.control.addAfterSale({ status: 40 });
    expect(await outcome(sim, CONFIRM, { refundId: a.refundId }, 500)).toBe('timeout');
    expect(sim.control.getAfterSale(a.refundId)!.status).toBe(50);
    expect(sim.control.stats().writes.map((w) => w.refundId)).toEqual([a.refundId]);
    // Reads are not affected, so the client can re-read and see it applied.
    const r = await call(sim, DETAIL, { refundId: a.refundId });
    expect(r.body.data.status).toBe(50);
    // With hang=0 the socket is destroyed right after applying.
    sim.control.setFaults({ timeoutAfterWriteRate: 1, hangMs: 0 });
    const b = sim.control.addAfterSale({ status: 40 });
    expect(await outcome(sim, CONFIRM, { refundId: b.refundId })).toBe('network');
    expect(sim.control.getAfterSale(b.refundId)!.status).toBe(50);
  });

  it('token expiry fault expires the presented token on the spot', async () => {
    sim = await startSimulator({ afterSales: 5, faults: { tokenExpiryRate: 1 } });
    expect(await outcome(sim)).toBe('r25');
    sim.control.setFaults({});
    const r = await call(sim, DETAIL, '{"refundId":1}');
    expect(r.body.error_msg).toBe('鉴权失败/TOKEN过期');
  });
});
