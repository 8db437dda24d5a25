// The scan card under late answers: a refresh of the previous parcel that answers after the next scan must not
// put that parcel back on the card (the operator would see — and could confirm — the wrong after-sale).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';

type Pending = { method: string; input: unknown; resolve(value: unknown): void };
const pending: Pending[] = [];
vi.mock('../../../src/renderer/src/api', () => ({
  deskApi: {
    call: (method: string, input: unknown) => new Promise((resolve) => pending.push({ method, input, resolve })),
    on: () => () => undefined,
  },
}));

const { useDesk } = await import('../../../src/renderer/src/desk/store');

function afterSale(refundId: string, status: number) {
  return {
    refundId,
    status,
    handlingWay: 1,
    freightInsurance: false,
    returnWaybill: status === 40 ? { expressNo: 'YT1234567890123', expressCode: 6 } : null,
    local: { state: 'none', undoUntil: null },
  };
}

function answer(method: string, value: unknown): void {
  const index = pending.findIndex((p) => p.method === method);
  expect(index, `a pending ${method}`).toBeGreaterThanOrEqual(0);
  pending.splice(index, 1)[0]!.resolve(value);
}

/** A scan at the desk, answered by the core with this outcome and after-sale. */
async function scan(desk: ReturnType<typeof useDesk>, scanId: string, code: string, outcome: string, match: unknown): Promise<void> {
  const lookup = desk.lookup(code, 'scanner');
  answer('scan.lookup', { scanId, code, outcome, afterSale: match, candidates: [], insuranceWarning: 'none', repeated: false });
  await lookup;
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the scan card and late answers', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    pending.length = 0;
  });

  it('a refresh that answers after the next scan leaves the next scan on the card', async () => {
    const desk = useDesk();
    await scan(desk, 's1', 'A1', 'waiting_for_buyer', afterSale('111', 30));
    expect(desk.card?.refundId).toBe('111');

    const refresh = desk.refreshCard();
    await scan(desk, 's2', 'ZZ99887766', 'not_found', null);
    answer('afterSales.get', afterSale('111', 40));
    await refresh;
    await flush();

    expect(desk.result?.scanId).toBe('s2');
    expect(desk.card).toBeNull();
    expect(desk.outcome).toBe('not_found');
  });

  it('a refresh of the same scan still updates the card', async () => {
    const desk = useDesk();
    await scan(desk, 's1', 'A1', 'waiting_for_buyer', afterSale('111', 30));
    const refresh = desk.refreshCard();
    answer('afterSales.get', afterSale('111', 40));
    await refresh;
    expect(desk.card?.status).toBe(40);
  });
});
