// The desk's rules end to end, by keys and scanner bursts in Chromium against the real core, the browser host and
// the Kuaishou simulator: the return-freight decision, the duplicate-waybill override, unmatched parcels, the
// settings dialog, and the session the core ends under the desk (work kept for after sign-in).
import { describe, expect } from 'vitest';
import { e2eDesk, MAIN_NAME as NAME, freshWaybill } from './support/fixture';
import { scanBurst, setLocale, shoot } from './support/scanner';

interface AuditRow {
  action: string;
  refundId: string | null;
  outcome: string;
  overriddenWarning: string | null;
  scannedCode: string | null;
}

const ids: Record<string, string> = {};
const claim = (amount: number) => ({
  returnFreightAmount: amount,
  returnFreightStatus: 10,
  returnFreightApplyDesc: '买家垫付了退货运费',
  returnFreightApplyImages: [],
});

const { it, app } = e2eDesk({
  seed: 'e2e-desk-rules',
  afterSales: 6,
  start: 'signed-in',
  prepare: (add) => {
    ids.freightReject = add({
      status: 40,
      returnWaybill: { expressNo: 'YT5550001112223', expressCode: 6 },
      freightInsurance: false,
      returnFreight: claim(1_200),
    });
    ids.waybillHolder = add({ status: 40, returnWaybill: { expressNo: 'YT7770001112223', expressCode: 6 }, freightInsurance: false });
    ids.aliasTarget = add({ status: 40, returnWaybill: { expressNo: 'YT6660001112223', expressCode: 6 }, freightInsurance: false });
  },
});

/** A new after-sale waiting for the buyer to ship (no waybill, no insurance), in the desk's cache. */
const freshWaiting = () => app.freshAfterSale({ status: 30, returnWaybill: null, freightInsurance: false });

/** Scans an after-sale waiting for the buyer, opens its waybill dialog with W and scans `number` into it. */
async function waybillDialogWith(target: string, number: string): Promise<void> {
  const { page } = app;
  await scanBurst(page, target);
  await expect.poll(app.outcome).toBe('waiting_for_buyer');
  await page.keyboard.press('w');
  await page.getByTestId('waybill-dialog').waitFor();
  await scanBurst(page, number);
  await expect.poll(() => page.getByTestId('waybill-number').inputValue()).toBe(number);
}

describe('desk rules in Chromium', () => {
  it('the status bar counts the after-sales on this machine and follows new ones without a reload', async ({ page, sim, call }) => {
    const shown = async () => Number(await page.getByTestId('status-after-sales').getAttribute('data-count'));
    const counted = async () => (await call<{ counts: Record<string, number> }>('app.info', {})).counts.after_sales ?? -1;
    await expect.poll(shown).toBe(await counted());
    const before = await shown();
    expect(before).toBeGreaterThanOrEqual(Object.keys(ids).length);
    sim.control.addAfterSale({ status: 40, freightInsurance: false });
    await call('sync.run', {});
    await expect.poll(shown, { timeout: 10_000 }).toBe(before + 1);
    expect(await page.getByTestId('status-after-sales').textContent()).toBe(`本机售后单 ${before + 1} 条`);
  });

  it('a miss answers at once; when the background refresh finds the parcel the card turns into it and says so', async ({
    page,
    sim,
    outcome,
    freshDesk,
  }) => {
    await freshDesk();
    // Shipped a moment ago: not in the cache until a refresh lists the last minutes (a number no fixture uses).
    sim.control.addAfterSale({ status: 40, returnWaybill: { expressNo: 'YT6660009998887', expressCode: 6 }, freightInsurance: false });
    await scanBurst(page, 'YT6660009998887');
    await expect.poll(outcome, { timeout: 20_000 }).toBe('ready');
    expect(await page.getByTestId('card-found-by-refresh').textContent()).toContain('刚从平台查到');
    expect(await page.getByTestId('card-code').textContent()).toBe('YT6660009998887');
  });

  it('not found → R registers an unmatched parcel', async ({ page, call, outcome, freshDesk }) => {
    await freshDesk();
    await scanBurst(page, 'ZT00000042424242');
    await expect.poll(outcome).toBe('not_found');
    expect(await page.getByTestId('card-code').textContent()).toBe('ZT00000042424242');
    await page.keyboard.press('r');
    await page.getByTestId('unmatched-dialog').waitFor();
    await page.getByTestId('unmatched-note').fill('外箱破损');
    await shoot(page, 'unmatched-dialog');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('unmatched-dialog').count()).toBe(0);
    const parcels = await call<{ code: string; note: string; operatorName: string | null; resolvedRefundId: string | null }[]>(
      'parcels.listUnmatched',
      {},
    );
    expect(parcels.filter((p) => p.code === 'ZT00000042424242')).toEqual([
      expect.objectContaining({ note: '外箱破损', operatorName: NAME, resolvedRefundId: null }),
    ]);
  });

  it('the core ends the session: the desk goes to sign-in, says why, and keeps the open dialog and the scan', async ({
    page,
    call,
    outcome,
    writesFor,
    signIn,
    freshDesk,
    freshAfterSale,
  }) => {
    // Its own after-sales and numbers: a retry must not meet the upload and the scan of a failed first attempt.
    const target = await freshWaiting();
    const heldCode = freshWaybill('JT8880001112223');
    await freshAfterSale({ status: 40, returnWaybill: { expressNo: heldCode, expressCode: 109 }, freightInsurance: false });
    const number = freshWaybill('SF1234567890777');
    await freshDesk();
    await waybillDialogWith(target, number); // an open waybill dialog with a number in it…
    // …then the operator is signed out through the core (another client of the same desk) and submits.
    expect(await call<{ signedOut: boolean }>('operators.signOut', {})).toEqual({ signedOut: true });
    await page.keyboard.press('Enter');
    await page.getByTestId('signin-screen').waitFor();
    expect(await page.getByTestId('signin-ended').getAttribute('data-reason')).toBe('signed_out');
    expect(await page.getByTestId('signin-ended').textContent()).toContain('登录已在其他地方退出');
    await page.getByTestId('signin-resume').waitFor();
    expect(await page.getByTestId('signin-name').inputValue()).toBe(NAME); // only the PIN is asked
    await shoot(page, 'signin-session-ended');
    expect(await page.getByTestId('waybill-dialog').isVisible()).toBe(false);
    expect(writesFor(target)).toEqual([]);
    await signIn();
    // The dialog is back as it was; Enter submits it now.
    await page.getByTestId('waybill-dialog').waitFor();
    expect(await page.getByTestId('waybill-number').inputValue()).toBe(number);
    expect(await page.getByTestId('signin-screen').count()).toBe(0);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('waybill-dialog').count()).toBe(0);
    const submitted = await call<{ returnWaybill: { expressNo: string } | null }>('afterSales.get', { refundId: target });
    expect(submitted.returnWaybill?.expressNo).toBe(number);

    // A scan that finds the session gone is held, and handled once someone signs in again.
    await freshDesk();
    await call('operators.signOut', {});
    await scanBurst(page, heldCode);
    await page.getByTestId('signin-screen').waitFor();
    await expect.poll(() => page.getByTestId('signin-held').textContent()).toContain('1');
    await signIn();
    await expect.poll(() => page.getByTestId('card-code').textContent(), { timeout: 15_000 }).toBe(heldCode);
    await expect.poll(outcome).toBe('ready');
    const audit = await call<AuditRow[]>('audit.list', { limit: 50 });
    expect(audit.filter((a) => a.action === 'scan' && a.scannedCode === heldCode)).toHaveLength(1);
  });

  it("a session ended under the desk: another operator signing in does not get the previous one's card or recent scans; held scans stay", async ({
    page,
    call,
    outcome,
    signIn,
    freshDesk,
  }) => {
    await call('operators.save', { name: '夜班小李', pin: '2468', role: 'cs_admin' });
    await freshDesk();
    await scanBurst(page, 'ZT00000077777777');
    await expect.poll(outcome).toBe('not_found');
    await freshDesk();
    await call('operators.signOut', {});
    await scanBurst(page, 'JT8880002223334');
    await page.getByTestId('signin-screen').waitFor();
    await expect.poll(() => page.getByTestId('signin-held').textContent()).toContain('1');
    await signIn('夜班小李', '2468');
    // The held scan is the desk's: handled for the new operator. The previous operator's scan is gone.
    await expect.poll(() => page.getByTestId('card-code').textContent(), { timeout: 15_000 }).toBe('JT8880002223334');
    const recent = await page.getByTestId('recent-list').textContent();
    expect(recent).toContain('JT8880002223334');
    expect(recent).not.toContain('ZT00000077777777');
    await page.keyboard.press('Control+l');
    await page.getByTestId('signin-screen').waitFor();
    await signIn();
    await page.getByTestId('desk-screen').waitFor();
  });

  it('settings (Ctrl+,): the core refuses an idle timeout out of range and says which; undo window and volume are saved and used', async ({
    page,
    call,
    outcome,
    freshDesk,
  }) => {
    await freshDesk();
    await page.keyboard.press('Control+Comma');
    await page.getByTestId('settings-dialog').waitFor();
    await expect.poll(() => page.getByTestId('settings-volume-value').textContent()).toBe('60%');
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowLeft'); // the slider has focus: 60 → 30
    await expect.poll(() => page.getByTestId('settings-volume-value').textContent()).toBe('30%');
    await page.getByTestId('settings-undoWindowMs').fill('1');
    await page.getByTestId('settings-idleTimeoutMs').fill('0');
    await page.keyboard.press('Enter');
    await page.getByTestId('settings-error').waitFor();
    expect(await page.getByTestId('settings-error').getAttribute('data-field')).toBe('idleTimeoutMs');
    expect(await page.getByTestId('settings-error').textContent()).toContain('无操作自动退出须在 1–480 分钟之间');
    // The refusal already on screen follows a language switch (it is worded at display time, not when it arrived).
    await setLocale(page, 'en');
    await expect.poll(() => page.getByTestId('settings-error').textContent()).toContain('must be between 1 and 480');
    await setLocale(page, 'zh-CN');
    await shoot(page, 'settings-dialog');
    expect(await call<{ undoWindowMs: number; soundVolume: number }>('settings.get', {})).toMatchObject({
      undoWindowMs: 5_000,
      soundVolume: 0.6,
    });
    await page.getByTestId('settings-idleTimeoutMs').fill('15');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('settings-dialog').count()).toBe(0);
    expect(await call('settings.get', {})).toMatchObject({
      undoWindowMs: 1_000,
      idleTimeoutMs: 900_000,
      soundVolume: 0.3,
      soundMuted: false,
    });
    const saved = (await call<AuditRow[]>('audit.list', { limit: 5 })).find((a) => a.action === 'settings.save');
    expect(saved).toBeDefined();
    // The next sound plays at the saved volume.
    await scanBurst(page, 'ZT00000099999999');
    await expect.poll(outcome).toBe('not_found');
    expect(await page.getByTestId('last-sound').getAttribute('data-sound')).toBe('not_found');
    expect(Number(await page.getByTestId('last-sound').getAttribute('data-volume'))).toBeCloseTo(0.3);
  });

  it('a return-freight claim: reject needs a reason, and without a photo the desk refuses it (the platform requires images): nothing reaches Kuaishou', async ({
    page,
    outcome,
    writesFor,
    freshDesk,
  }) => {
    await freshDesk();
    await scanBurst(page, 'YT5550001112223');
    await expect.poll(outcome).toBe('ready');
    await page.keyboard.press('Enter');
    await page.getByTestId('freight-dialog').waitFor();
    expect(await page.getByTestId('freight-dialog').textContent()).toContain('¥12.00');
    await shoot(page, 'freight-dialog');
    await page.keyboard.press('r');
    await page.getByTestId('freight-reason').waitFor();
    expect(await page.getByTestId('freight-images-hint').textContent()).toContain('凭证图片');
    await page.keyboard.press('Enter'); // no reason yet: refused here
    await page.getByTestId('freight-reason-required').waitFor();
    expect(await page.getByTestId('freight-dialog').isVisible()).toBe(true);
    expect(await outcome()).toBe('ready');
    await page.keyboard.type('运费应由快递承担');
    await page.keyboard.press('Enter');
    // The core refuses a rejection without images with a typed reason; the desk says so in the operator's language.
    await expect.poll(async () => (await page.getByTestId('notice').allTextContents()).join('|')).toContain('至少附一张凭证图片');
    expect(await outcome()).toBe('ready');
    await page.waitForTimeout(1_500); // past the (1 s) undo window: still nothing sent
    expect(writesFor(ids.freightReject!).filter((w) => w.method === 'confirmReceipt')).toHaveLength(0);
  });

  it('a return-freight claim agreed: the amount sent is the amount claimed', async ({
    page,
    outcome,
    writesFor,
    freshDesk,
    freshAfterSale,
  }) => {
    const code = freshWaybill('YT5550001112224');
    const refundId = await freshAfterSale({
      status: 40,
      returnWaybill: { expressNo: code, expressCode: 6 },
      freightInsurance: false,
      returnFreight: claim(850),
    });
    await freshDesk();
    await scanBurst(page, code);
    await expect.poll(outcome).toBe('ready');
    await page.keyboard.press('Enter');
    await page.getByTestId('freight-dialog').waitFor();
    expect(await page.getByTestId('freight-agree').textContent()).toContain('¥8.50');
    await page.keyboard.press('a');
    await expect.poll(outcome).toBe('confirmed');
    const confirms = () => writesFor(refundId).filter((w) => w.method === 'confirmReceipt');
    await expect.poll(() => confirms().length, { timeout: 15_000 }).toBe(1);
    expect(Number(confirms()[0]!.params.returnFreightHandlingAdvice)).toBe(1);
    expect(Number(confirms()[0]!.params.returnFreightAmount)).toBe(850);
    expect(confirms()[0]!.params.returnFreightRejectDesc).toBeUndefined();
  });

  it('a waybill already on another after-sale: the conflict is shown, Enter does not pass it, Shift+Enter does and is audited', async ({
    page,
    call,
    writesFor,
    freshDesk,
  }) => {
    const target = await freshWaiting();
    await freshDesk();
    await waybillDialogWith(target, 'YT7770001112223');
    await page.keyboard.press('Enter');
    await page.getByTestId('waybill-duplicate').waitFor();
    expect(await page.getByTestId('waybill-duplicate').textContent()).toContain(ids.waybillHolder!);
    await page.keyboard.press('Enter'); // the plain default does not override
    await page.waitForTimeout(300);
    expect(await page.getByTestId('waybill-dialog').isVisible()).toBe(true);
    expect((await call<{ returnWaybill: unknown }>('afterSales.get', { refundId: target })).returnWaybill).toBeNull();
    await page.keyboard.press('Shift+Enter');
    await expect.poll(() => page.getByTestId('waybill-dialog').count()).toBe(0);
    const after = await call<{ returnWaybill: { expressNo: string } | null }>('afterSales.get', { refundId: target });
    expect(after.returnWaybill?.expressNo).toBe('YT7770001112223');
    const audit = await call<AuditRow[]>('audit.list', { limit: 20 });
    const submits = audit.filter((a) => a.action === 'waybill.submit' && a.refundId === target);
    expect(submits.map((a) => a.overriddenWarning)).toContain('duplicate_waybill');
    expect(submits.filter((a) => a.outcome === 'ok' || a.outcome.startsWith('queued'))).toHaveLength(1);
    await expect.poll(() => writesFor(target).map((w) => w.method), { timeout: 15_000 }).toEqual(['submitReturnInfo']);
  });

  it('a courier the number does not look like is said before the upload; Enter asks once more', async ({ page, call, freshDesk }) => {
    const target = await freshWaiting();
    const number = freshWaybill('SF1234567890555');
    await freshDesk();
    await waybillDialogWith(target, number);
    expect(await page.getByTestId('waybill-mismatch').count()).toBe(0);
    await page.getByTestId('waybill-courier-search').fill('中通');
    await page.getByTestId('waybill-mismatch').waitFor();
    expect(await page.getByTestId('waybill-mismatch').textContent()).toContain('顺丰');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('waybill-mismatch').getAttribute('data-seen')).toBe('true');
    expect(await page.getByTestId('waybill-dialog').isVisible()).toBe(true);
    expect((await call<{ returnWaybill: unknown }>('afterSales.get', { refundId: target })).returnWaybill).toBeNull();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('waybill-dialog').count()).toBe(0);
    const audit = await call<AuditRow[]>('audit.list', { limit: 20 });
    const submit = audit.find((a) => a.action === 'waybill.submit' && a.refundId === target);
    expect(JSON.stringify(submit)).toContain('courier_mismatch');
    await page.keyboard.press('Escape');
  });

  it('in 40 no upload is offered: W records the label on the parcel as a local alias, which then scans, with no platform call', async ({
    page,
    call,
    outcome,
    writesFor,
    freshDesk,
  }) => {
    await freshDesk();
    await scanBurst(page, ids.aliasTarget!);
    await expect.poll(outcome).toBe('ready');
    await page.getByTestId('card-alias').waitFor();
    await page.keyboard.press('w');
    await page.getByTestId('alias-dialog').waitFor();
    expect(await page.getByTestId('waybill-dialog').count()).toBe(0);
    await scanBurst(page, 'JT5550009998887'); // the alias dialog takes the scan
    await expect.poll(() => page.getByTestId('alias-label').inputValue()).toBe('JT5550009998887');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('alias-dialog').count()).toBe(0);
    await page.keyboard.press('Escape');
    await scanBurst(page, 'JT5550009998887');
    await expect.poll(outcome).toBe('ready');
    expect(await page.getByTestId('scan-card').textContent()).toContain('按本台记录的包裹面单匹配');
    expect(writesFor(ids.aliasTarget!)).toEqual([]);
    const audit = await call<{ action: string; refundId: string | null }[]>('audit.list', { limit: 20 });
    expect(audit.some((e) => e.action === 'waybill.alias' && e.refundId === ids.aliasTarget)).toBe(true);
    await page.keyboard.press('Escape');
  });

  it('the queue: F from a not-found card is a one-off search and F2 opens it unfiltered; Home/End/PageDown/PageUp move the cursor', async ({
    page,
    outcome,
    freshDesk,
  }) => {
    await freshDesk();
    await scanBurst(page, 'ZT00000077777777');
    await expect.poll(outcome).toBe('not_found');
    await page.keyboard.press('f');
    await page.getByTestId('queue-screen').waitFor();
    await expect.poll(() => page.getByTestId('queue-filter').inputValue()).toBe('ZT00000077777777');
    await page.keyboard.press('F1');
    await page.getByTestId('desk-screen').waitFor();
    await page.keyboard.press('F2');
    await page.getByTestId('queue-screen').waitFor();
    await expect.poll(() => page.getByTestId('queue-filter').inputValue()).toBe('');
    const rows = page.locator('[data-testid^="queue-row-"]');
    await expect.poll(() => rows.count()).toBeGreaterThan(2);
    await page.getByTestId('queue-filter').focus();
    await page.keyboard.press('Escape'); // leaves the filter box: keys move the cursor now
    const cursorAt = () => rows.evaluateAll((all) => all.findIndex((row) => row.getAttribute('data-cursor') === 'true'));
    const count = await rows.count();
    await page.keyboard.press('End');
    await expect.poll(cursorAt).toBe(count - 1);
    await page.keyboard.press('Home');
    await expect.poll(cursorAt).toBe(0);
    await page.keyboard.press('PageDown');
    await expect.poll(cursorAt).toBeGreaterThan(0);
    await page.keyboard.press('PageUp');
    await expect.poll(cursorAt).toBe(0);
    await page.keyboard.press('F1');
  });

  it("Ctrl+L: the next operator does not see the previous one's card or recent scans", async ({ page, outcome, signIn, freshDesk }) => {
    await freshDesk();
    await scanBurst(page, ids.aliasTarget!);
    await expect.poll(outcome).not.toBe('idle');
    expect(await page.getByTestId('recent-list').locator('li:not(.muted)').count()).toBeGreaterThan(0);
    await page.keyboard.press('Control+l');
    await page.getByTestId('signin-screen').waitFor();
    await signIn();
    await page.getByTestId('desk-screen').waitFor();
    expect(await outcome()).toBe('idle');
    expect(await page.getByTestId('recent-list').locator('li:not(.muted)').count()).toBe(0);
  });

  it('a batch with two return-freight claims: each dialog says which one of how many, for which after-sale, in the batch order', async ({
    page,
    call,
    freshDesk,
    freshAfterSale,
    pickInQueue,
  }) => {
    const freightClaim = (waybill: string, amount: number) =>
      freshAfterSale({
        status: 40,
        returnWaybill: { expressNo: freshWaybill(waybill), expressCode: 6 },
        freightInsurance: false,
        returnFreight: claim(amount),
      });
    const batch = [await freightClaim('YT5550001112231', 600), await freightClaim('YT5550001112232', 700)];
    await freshDesk();
    await page.keyboard.press('F2');
    await page.getByTestId('queue-screen').waitFor();
    for (const id of batch) await pickInQueue(id);
    await page.keyboard.press('Control+Enter');
    for (const [index, id] of batch.entries()) {
      await page.getByTestId('freight-dialog').waitFor();
      await expect.poll(() => page.getByTestId('freight-which').textContent()).toContain(id);
      expect(await page.getByTestId('freight-dialog').textContent()).toContain(`第 ${index + 1} 个，共 2 个`);
      await page.keyboard.press('a');
      if (index === 0) await expect.poll(() => page.getByTestId('freight-which').textContent()).not.toContain(id);
    }
    await page.getByTestId('batch-result-dialog').waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+z'); // the whole batch is undone, inside its window
    await expect
      .poll(async () =>
        (
          await Promise.all(
            batch.map(async (refundId) => (await call<{ local: { state: string } }>('afterSales.get', { refundId })).local.state),
          )
        ).join(),
      )
      .toBe('none,none');
    await page.keyboard.press('F1');
  });

  it('an invalid scan says why (an SSCC carton is not an input-method problem); a 300-character scan adds no horizontal scrollbar', async ({
    page,
    outcome,
    freshDesk,
  }) => {
    await freshDesk();
    await scanBurst(page, '00123456789012345678');
    await expect.poll(outcome).toBe('invalid_scan');
    const banner = await page.getByTestId('scan-card').locator('.banner').textContent();
    expect(banner).toContain('SSCC');
    expect(banner).not.toContain('英文输入法');
    await page.keyboard.press('Escape');
    await scanBurst(page, 'A1B2C3D4E5'.repeat(30));
    await expect.poll(() => page.getByTestId('card-code').textContent()).toHaveLength(300);
    const overflows = await page.evaluate(() =>
      ['[data-testid="scan-card"]', '[data-testid="recent-list"]'].map((selector) => {
        const el = (
          globalThis as unknown as { document: { querySelector(s: string): { scrollWidth: number; clientWidth: number } } }
        ).document.querySelector(selector);
        return el.scrollWidth > el.clientWidth + 1;
      }),
    );
    expect(overflows).toEqual([false, false]);
    await page.keyboard.press('Escape');
  });

  it('settings for an operator without manage_operators: sound only, the desk rules shown but locked', async ({
    page,
    call,
    signIn,
    freshDesk,
  }) => {
    // The main account makes the operator (a retry finds 客服小王 still signed in, and the operator already made).
    await freshDesk();
    await page.keyboard.press('Control+l');
    await signIn();
    await call('operators.save', { name: '客服小王', pin: '1357', role: 'cs_admin' }).catch((error: { code?: string }) => {
      if (error.code !== 'conflict') throw error;
    });
    const before = await call<{ soundMuted: boolean; undoWindowMs: number }>('settings.get', {});
    await page.keyboard.press('Control+l');
    await signIn('客服小王', '1357');
    await page.getByTestId('open-settings').click();
    await page.getByTestId('settings-dialog').waitFor();
    await page.getByTestId('settings-admin-only').waitFor();
    expect(await page.getByTestId('settings-undoWindowMs').isDisabled()).toBe(true);
    await page.keyboard.press('Control+m');
    await expect.poll(() => page.getByTestId('settings-muted').isChecked()).toBe(!before.soundMuted);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('settings-dialog').count()).toBe(0);
    // The sound is this operator's to change; the desk rule it cannot touch stays as it was.
    expect(await call('settings.get', {})).toMatchObject({ soundMuted: !before.soundMuted, undoWindowMs: before.undoWindowMs });
    // The core is what refuses: this operator's session cannot change a desk rule.
    await expect(call('settings.save', { undoWindowMs: 0 })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
