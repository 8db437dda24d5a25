// Inspection at the desk in Chromium with its fake camera: a damaged parcel, two photos, the warning on confirm,
// a refusal whose reason needs images (one upload per image, one reject at the simulator), and an exchange
// confirmed and sent with the replacement's waybill — by keys, against the real core and the simulator.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { e2eDesk, FAKE_CAMERA } from './support/fixture';
import { scanBurst } from './support/scanner';

const ids: Record<string, string> = {};

const { it } = e2eDesk({
  seed: 'e2e-inspection',
  afterSales: 6,
  start: 'first-run',
  ...FAKE_CAMERA,
  prepare: (add) => {
    ids.damaged = add({ status: 40, returnWaybill: { expressNo: 'YT5550001112223', expressCode: 6 }, freightInsurance: false });
    ids.exchange = add({
      status: 40,
      handlingWay: 3,
      returnWaybill: { expressNo: 'ZTO7770001112223', expressCode: 3 },
      freightInsurance: false,
    });
  },
});

describe('inspection and evidence in Chromium', () => {
  it('signs in and syncs the demo shop', async ({ app, call }) => {
    await app.firstRun();
    await call('sync.run', {});
    for (const id of [ids.damaged, ids.exchange]) {
      await expect
        .poll(() => call<{ returnWaybill: unknown }>('afterSales.get', { refundId: id }).then((a) => a.returnWaybill !== null), {
          timeout: 30_000,
        })
        .toBe(true);
    }
  });

  it('damaged → two camera photos → confirm warns → refuse with a reason that needs images: one upload per image, one reject', async ({
    page,
    sim,
    desk,
    outcome,
    methodsFor,
  }) => {
    await scanBurst(page, 'YT5550001112223');
    await expect.poll(outcome).toBe('ready');
    await page.getByTestId('inspection-panel').waitFor();
    await page.keyboard.press('4');
    await expect.poll(() => page.getByTestId('inspection-result').getAttribute('data-result')).toBe('damaged');
    await page.keyboard.press('p');
    await expect.poll(() => page.getByTestId('evidence-count').getAttribute('data-count'), { timeout: 15_000 }).toBe('1');
    await page.waitForTimeout(400); // the fake camera's next frame differs
    await page.keyboard.press('p');
    await expect.poll(() => page.getByTestId('evidence-count').getAttribute('data-count'), { timeout: 15_000 }).toBe('2');

    await page.keyboard.press('Enter'); // confirm: the failed inspection stops it
    await page.getByTestId('inspection-warning').waitFor();
    await page.keyboard.press('Enter'); // default: refuse instead
    await page.getByTestId('refuse-dialog').waitFor();
    await page.getByTestId('refuse-reason-35').waitFor();
    const labels = await page
      .getByTestId('refuse-reasons')
      .locator('input')
      .evaluateAll((inputs) => inputs.map((i) => (i as unknown as { value: string }).value));
    await page.keyboard.press(String(labels.indexOf('35') + 1));
    await expect.poll(() => page.getByTestId('refuse-photos').getAttribute('data-count')).toBe('2');
    await page.keyboard.press('Enter');
    await page.getByTestId('refuse-dialog').waitFor({ state: 'detached' });

    await expect.poll(() => methodsFor(ids.damaged!), { timeout: 30_000 }).toEqual(['reject']);
    expect(sim.control.stats().calls['open.item.image.upload']).toBe(2);
    expect(methodsFor(ids.damaged!)).toEqual(['reject']);
    const reject = sim.control.stats().writes.find((w) => w.method === 'reject')!;
    expect(reject.params).toMatchObject({ reasonCode: 35 });
    expect((reject.params.rejectImages as string[]).length).toBe(2);
    expect(methodsFor(ids.damaged!)).not.toContain('confirmReceipt');

    // The evidence files on disk are what the database says they are.
    const rows = desk.core.context.db.prepare('SELECT sha256, rel_path FROM evidence_files').all() as {
      sha256: string;
      rel_path: string;
    }[];
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(
        createHash('sha256')
          .update(fs.readFileSync(path.join(desk.dataDir, row.rel_path)))
          .digest('hex'),
      ).toBe(row.sha256);
    }
  });

  it('an exchange scans as an exchange, shows what was asked for, and is confirmed and sent with the new waybill', async ({
    page,
    sim,
    outcome,
    methodsFor,
  }) => {
    await page.keyboard.press('Escape');
    await scanBurst(page, 'ZTO7770001112223');
    await expect.poll(outcome).toBe('exchange');
    await page.keyboard.press('1');
    await expect.poll(() => page.getByTestId('inspection-result').getAttribute('data-result')).toBe('passed');
    await page.keyboard.press('e');
    await page.getByTestId('exchange-dialog').waitFor();
    const wish = sim.control.getAfterSale(ids.exchange!)?.exchangeInfo?.skuNick ?? '';
    await expect.poll(() => page.getByTestId('exchange-asked').textContent()).toContain(wish);
    await scanBurst(page, 'SF9876543210987');
    await expect.poll(() => page.getByTestId('exchange-number').inputValue()).toBe('SF9876543210987');
    await page.getByTestId('exchange-courier').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('exchange-dialog').waitFor({ state: 'detached' });
    await expect.poll(() => methodsFor(ids.exchange!), { timeout: 30_000 }).toEqual(['confirmAndSend']);
    expect(sim.control.stats().writes.find((w) => w.method === 'confirmAndSend')?.params).toMatchObject({
      expressNo: 'SF9876543210987',
      expressCode: 4,
    });
  });
});
