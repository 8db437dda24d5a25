// The receiving desk end to end, driven as a person would: key presses and scanner bursts in Chromium against the
// real core, the browser host and the Kuaishou simulator (the demo shop). Screenshots every screen it passes (see support/scanner.ts).
import { describe, expect } from 'vitest';
import { e2eDesk, freshWaybill, MAIN_PIN as PIN } from './support/fixture';
import { imeBurst, scanBurst, setLocale, shoot } from './support/scanner';

const SF = 4;
const ids: Record<string, string> = {};

// The after-sales a test confirms or uploads to are made by that test (freshAfterSale), so that its retry starts
// from an untouched one; these are only read.
const { it } = e2eDesk({
  seed: 'e2e-desk',
  afterSales: 12,
  start: 'first-run',
  prepare: (add) => {
    ids.imeReady = add({ status: 40, returnWaybill: { expressNo: 'JT0001112223334', expressCode: 109 }, freightInsurance: false });
    ids.forbidden = add({ status: 40, returnWaybill: { expressNo: 'ZJS001234567890', expressCode: 10 }, freightInsurance: false });
  },
});

describe('the receiving desk in Chromium', () => {
  it('first run: creates the main operator, connects the demo shop with one key, lands on the desk', async ({ page, desk, call }) => {
    await page.goto(desk.host.url);
    await expect.poll(() => page.getByTestId('signin-title').textContent()).toBe('首次使用：创建主账号操作员');
    await page.getByTestId('signin-name').focus();
    await page.keyboard.type('店长');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PIN);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PIN);
    await shoot(page, 'signin');
    await page.keyboard.press('Enter');
    await page.getByTestId('shops-screen').waitFor();
    await shoot(page, 'shops');
    await page.keyboard.press('Enter'); // the demo shop is offered first and has focus
    await page.getByTestId('desk-screen').waitFor({ timeout: 30_000 });
    await call('sync.run', {});
    await expect
      .poll(async () => (await call<{ items: unknown[] }>('afterSales.list', { filter: {}, limit: 500 })).items.length, { timeout: 60_000 })
      .toBeGreaterThanOrEqual(Object.keys(ids).length);
    for (const refundId of Object.values(ids)) {
      await expect
        .poll(() => call<{ returnWaybill: unknown }>('afterSales.get', { refundId }).then((a) => a.returnWaybill !== null), {
          timeout: 30_000,
        })
        .toBe(true);
    }
    expect(await page.getByTestId('operator-name').textContent()).toContain('店长');
  });

  it('scan → ready → Enter → undo, by keys only', async ({ page, call, outcome, methodsFor, freshAfterSale }) => {
    const code = freshWaybill('YT1234567890123');
    const ready = await freshAfterSale({
      status: 40,
      returnWaybill: { expressNo: code, expressCode: 6 },
      freightInsurance: false,
      refundFee: 12_900,
    });
    await scanBurst(page, code);
    await expect.poll(() => page.getByTestId('card-code').textContent()).toBe(code);
    await expect.poll(outcome).toBe('ready');
    expect(await page.getByTestId('card-amount').textContent()).toBe('¥129.00');
    await shoot(page, 'desk-ready');
    await page.keyboard.press('Enter');
    await expect.poll(outcome).toBe('confirmed');
    await page.getByTestId('undo-list').waitFor();
    const local = await call<{ local: { state: string } }>('afterSales.get', { refundId: ready });
    expect(local.local.state).toBe('confirm_pending');
    await page.keyboard.press('Control+z');
    await expect
      .poll(async () => (await call<{ local: { state: string } }>('afterSales.get', { refundId: ready })).local.state)
      .toBe('none');
    await expect.poll(outcome).toBe('ready');
    await page.waitForTimeout(5_500); // past the undo window: nothing may have left
    expect(methodsFor(ready)).toEqual([]);
  });

  it('a key typed within a few ms of `/` lands in the scan box (it used to be lost)', async ({ page }) => {
    await page.keyboard.press('Escape');
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await scanBurst(page, '/2', { suffix: null }); // `/` and the next key a few ms apart
    await page.keyboard.type('150', { delay: 150 });
    await expect.poll(() => page.getByTestId('scan-box').inputValue()).toBe('2150');
    await page.getByTestId('scan-box').fill('');
    await page.locator('body').click({ position: { x: 5, y: 300 } });
  });

  it('a burst typed during an IME composition is rebuilt from the physical keys and leaves the scan box clean', async ({
    page,
    outcome,
  }) => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('/');
    await expect
      .poll(() =>
        page.evaluate(() => (globalThis as unknown as { document: { activeElement: { tagName: string } } }).document.activeElement.tagName),
      )
      .toBe('INPUT');
    await imeBurst(page, 'JT0001112223334');
    await expect.poll(() => page.getByTestId('card-code').textContent()).toBe('JT0001112223334');
    expect(await page.getByTestId('scan-box').inputValue()).toBe('');
    await expect.poll(outcome).toBe('ready');
    await page.keyboard.press('Escape');
  });

  it('waiting for the buyer + insurance: dialog → upload the waybill → confirm; one submit and one confirm reach Kuaishou', async ({
    page,
    call,
    outcome,
    methodsFor,
    freshAfterSale,
  }) => {
    const waiting = await freshAfterSale({ status: 30, returnWaybill: null, freightInsurance: true, refundFee: 5_990 });
    const number = freshWaybill('SF1234567890123');
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await scanBurst(page, waiting);
    await expect.poll(outcome).toBe('waiting_for_buyer');
    expect(await page.getByTestId('card-insurance').textContent()).toBe('有运费险');
    await page.keyboard.press('Enter');
    await page.getByTestId('insurance-dialog').waitFor();
    await shoot(page, 'insurance-dialog');
    // A scan while a dialog that does not expect a waybill is open is held, not lost and not a button press.
    await scanBurst(page, 'ZZ99887766');
    await page.getByTestId('held-scans').waitFor();
    expect(await page.getByTestId('insurance-dialog').isVisible()).toBe(true);
    await page.keyboard.press('Enter'); // default: upload the waybill now
    await page.getByTestId('waybill-dialog').waitFor();
    // A scan while a Chinese IME composes in the number field: the field ends up holding the scan, not empty.
    await expect.poll(() => page.getByTestId('waybill-number').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await imeBurst(page, 'YT9876543210987');
    await expect.poll(() => page.getByTestId('waybill-number').inputValue()).toBe('YT9876543210987');
    await page.waitForTimeout(200);
    expect(await page.getByTestId('waybill-number').inputValue()).toBe('YT9876543210987');
    await scanBurst(page, number); // the waybill dialog takes the scan
    await expect.poll(() => page.getByTestId('waybill-number').inputValue()).toBe(number);
    expect(await outcome()).toBe('waiting_for_buyer'); // the held scan waits for the whole flow, not just one dialog
    expect(await page.getByTestId('held-scans').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('waybill-couriers').locator('li').first().textContent()).toContain('顺丰');
    await shoot(page, 'waybill-dialog');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('waybill-dialog').count()).toBe(0);
    // The held scan is handled once the dialogs are gone.
    await expect.poll(() => page.getByTestId('card-code').textContent(), { timeout: 15_000 }).toBe('ZZ99887766');
    await expect.poll(outcome).toBe('not_found');
    await shoot(page, 'desk-not-found');
    const after = await call<{ local: { state: string }; returnWaybill: { expressNo: string; expressCode: number } | null }>(
      'afterSales.get',
      { refundId: waiting },
    );
    expect(after.returnWaybill).toMatchObject({ expressNo: number, expressCode: SF });
    expect(['confirm_pending', 'confirm_sending', 'confirmed']).toContain(after.local.state);
    await expect.poll(() => methodsFor(waiting), { timeout: 30_000 }).toEqual(['submitReturnInfo', 'confirmReceipt']);
    await page.waitForTimeout(1_000);
    expect(methodsFor(waiting)).toEqual(['submitReturnInfo', 'confirmReceipt']);
  });

  it('the queue: a batch with mixed outcomes, with the batch insurance dialog', async ({ page, call, freshAfterSale, pickInQueue }) => {
    const batchOk = await freshAfterSale({
      status: 40,
      returnWaybill: { expressNo: freshWaybill('JT0001112223335'), expressCode: 109 },
      freightInsurance: false,
    });
    const batchInsured = await freshAfterSale({ status: 30, returnWaybill: null, freightInsurance: true });
    const batchRefundOnly = await freshAfterSale({ status: 10, handlingWay: 10, returnWaybill: null });
    await page.keyboard.press('Escape');
    await page.keyboard.press('F2');
    await page.getByTestId('queue-screen').waitFor();
    await page.keyboard.press('Control+f');
    await page.keyboard.press('Shift+Tab'); // nothing: the filter keeps focus for typing
    await page.getByTestId('queue-filter').focus();
    const filter = page.getByTestId('queue-filter');
    for (const id of [batchOk, batchInsured, batchRefundOnly]) {
      if (id === batchRefundOnly) await page.getByLabel('只看待签收').uncheck(); // refund-only is outside the desk queue
      await pickInQueue(id);
    }
    await filter.fill('');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter'); // opens the detail
    await page.getByTestId('queue-detail').waitFor();
    await shoot(page, 'queue');
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('batch-insurance-dialog').waitFor();
    await shoot(page, 'batch-insurance-dialog');
    await page.keyboard.press('2'); // confirm the others, leave the insured one
    await page.getByTestId('batch-result-dialog').waitFor();
    await shoot(page, 'batch-result');
    const statusOf = (id: string) => page.getByTestId(`batch-row-${id}`).getAttribute('data-status');
    expect(await statusOf(batchOk)).toBe('ok');
    expect(await statusOf(batchInsured)).toBe('skipped');
    expect(await statusOf(batchRefundOnly)).toBe('failed');
    await page.keyboard.press('Enter');
    const ok = await call<{ local: { state: string } }>('afterSales.get', { refundId: batchOk });
    expect(['confirm_pending', 'confirm_sending', 'confirmed']).toContain(ok.local.state);
    const insured = await call<{ local: { state: string } }>('afterSales.get', { refundId: batchInsured });
    expect(insured.local.state).toBe('none');
    await page.keyboard.press('?');
    await page.getByTestId('keymap-dialog').waitFor();
    await shoot(page, 'keymap');
    await page.keyboard.press('Escape');
  });

  it('offline: a confirm is kept and drains after reconnection', async ({
    page,
    sim,
    call,
    outcome,
    methodsFor,
    freshAfterSale,
    onTestFinished,
  }) => {
    onTestFinished(() => sim.control.setFaults({})); // a failed attempt must not leave the platform unreachable
    const code = freshWaybill('DPK301234567890');
    const offline = await freshAfterSale({ status: 40, returnWaybill: { expressNo: code, expressCode: 53 }, freightInsurance: false });
    await page.keyboard.press('F1');
    await page.getByTestId('desk-screen').waitFor();
    sim.control.setFaults({ resetRate: 1 });
    await call('sync.run', {}).catch(() => undefined);
    await expect.poll(() => page.getByTestId('sync-state').getAttribute('data-online'), { timeout: 30_000 }).toBe('false');
    await scanBurst(page, code);
    await expect.poll(outcome).toBe('ready');
    await page.keyboard.press('Enter');
    await expect.poll(outcome).toBe('confirmed');
    await shoot(page, 'desk-offline-confirmed');
    await page.waitForTimeout(6_000);
    expect(methodsFor(offline)).toEqual([]);
    // The card follows the outbox without a new scan: past the undo window it says "sending", and Ctrl+Z says
    // it is too late (not "nothing to undo").
    await expect.poll(() => page.getByTestId('card-local').getAttribute('data-state')).toBe('confirm_sending');
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('notice').last().textContent()).toContain('已超过撤销时间');
    expect(Number((await page.getByTestId('sync-pending').textContent())?.replace(/\D/g, ''))).toBeGreaterThan(0);
    sim.control.setFaults({});
    await call('sync.run', {}).catch(() => undefined);
    await expect.poll(() => methodsFor(offline), { timeout: 45_000 }).toEqual(['confirmReceipt']);
    await expect.poll(() => page.getByTestId('card-local').getAttribute('data-state'), { timeout: 30_000 }).toBe('confirmed');
    await expect.poll(() => page.getByTestId('sync-state').getAttribute('data-online'), { timeout: 30_000 }).toBe('true');
  });

  it('a custom role without "agree to refund" is refused, in the desk and by the core', async ({ page, call, outcome, methodsFor }) => {
    await call('operators.save', { name: '临时工', pin: '1357', role: 'custom', customRoleName: '仓库临时工', permissions: [] });
    await page.keyboard.press('Control+l');
    await page.getByTestId('signin-screen').waitFor();
    await page.getByTestId('signin-name').fill('临时工');
    await page.getByTestId('signin-pin').focus();
    await page.keyboard.type('1357');
    await page.keyboard.press('Enter');
    await page.getByTestId('desk-screen').waitFor();
    await scanBurst(page, 'ZJS001234567890');
    await expect.poll(outcome).toBe('ready');
    await page.getByTestId('card-no-permission').waitFor();
    await shoot(page, 'desk-no-permission');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('notice').last().textContent()).toContain('同意退款');
    // A notice on screen follows a language switch.
    await setLocale(page, 'en');
    await expect.poll(() => page.getByTestId('notice').last().textContent()).toContain('"agree to refund" permission');
    await setLocale(page, 'zh-CN');
    expect(await outcome()).toBe('ready');
    await expect(call('receipts.confirm', { refundId: ids.forbidden })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(call('waybills.submit', { refundId: ids.forbidden, expressNo: 'SF1234567890999', expressCode: SF })).rejects.toMatchObject(
      { code: 'forbidden' },
    );
    expect(methodsFor(ids.forbidden!)).toEqual([]);
  });
});
