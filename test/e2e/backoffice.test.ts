// The back office end to end, as a shop manager would use it: keys and clicks in Chromium against the real core, the
// browser host and the simulator. Operators and a custom role made in the UI, an unmatched parcel that binds itself
// when the buyer ships that number, and the audit viewer's filters.
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/main/sim';
import { DEMO_SHOP_NAME } from '../../src/main/core/shops/demo';
import { e2eDesk, until } from './support/fixture';
import { scanBurst, shoot } from './support/scanner';

const PIN = '864200';

/** A small RFC 4180 reader: quoted fields with doubled quotes and commas, CRLF lines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',' || c === '\n') {
      row.push(field);
      field = '';
      if (c === '\n') {
        rows.push(row);
        row = [];
      }
    } else if (c !== '\r') field += c;
  }
  return rows;
}

const LOST_WAYBILL = 'YT9876543210123';

const ids: Record<string, string> = {};
let sim2: RunningSimulator;

const { it } = e2eDesk({
  seed: 'e2e-backoffice',
  afterSales: 8,
  start: 'signed-in',
  pin: PIN,
  acceptDownloads: true,
  prepare: (add) => {
    ids.ready = add({ status: 40, returnWaybill: { expressNo: 'ZTO731234567890', expressCode: 9 }, freightInsurance: false });
    ids.shift = add({
      status: 40,
      returnWaybill: { expressNo: 'YT5550001112223', expressCode: 6 },
      freightInsurance: false,
      refundFee: 4_590,
    });
    ids.waiting = add({ status: 30, returnWaybill: null, freightInsurance: false });
  },
});

// A second shop's platform, connected from the shops screen by one of the tests.
beforeAll(async () => {
  sim2 = await startSimulator({ seed: 'e2e-backoffice-2', afterSales: 4, settleDelayMs: 600_000 });
  ids.flagship = sim2.control.addAfterSale({
    status: 40,
    returnWaybill: { expressNo: 'SF1400000000888', expressCode: 4 },
    freightInsurance: false,
  }).refundId;
});
afterAll(() => sim2?.close());

describe('the back office in Chromium', () => {
  it('F3 opens the back office; a custom role without 同意退款 is created by keys and clicks', async ({ page, call }) => {
    await page.keyboard.press('F3');
    await page.getByTestId('operators-panel').waitFor();
    await page.getByTestId('operator-new').click();
    await page.getByTestId('operator-form-name').fill('临时工');
    await page.getByTestId('operator-role').selectOption('custom');
    await page.getByTestId('operator-custom-role').fill('仓库临时工');
    // 管理操作员 is ticked and then unticked again: nothing at all is granted in the end.
    await page.getByTestId('operator-perm-manage_operators').check();
    await page.getByTestId('operator-perm-manage_operators').uncheck();
    await page.getByTestId('operator-pin').fill('1357');
    await shoot(page, 'backoffice-operators');
    await page.getByTestId('operator-pin').press('Enter');
    await page.getByTestId('operator-row-临时工').waitFor();
    expect(await page.getByTestId('operator-row-临时工').textContent()).toContain('仓库临时工');
    const operators = await call<{ name: string; role: string; permissions: string[] }[]>('operators.list', {});
    expect(operators.find((op) => op.name === '临时工')).toMatchObject({ role: 'custom', permissions: [] });
    const audit = await call<{ entries: { details: { name?: string } | null }[] }>('audit.search', { action: 'operators.save' });
    expect(audit.entries[0]?.details).toMatchObject({ name: '临时工', role: 'custom', permissions: [] });
  });

  it('an unmatched parcel binds itself when the buyer ships that waybill, and the operator on duty is told', async ({
    page,
    sim,
    call,
    outcome,
  }) => {
    await page.keyboard.press('F1');
    await page.getByTestId('desk-screen').waitFor();
    await scanBurst(page, LOST_WAYBILL);
    await expect.poll(outcome).toBe('not_found');
    await page.keyboard.press('r');
    await page.getByTestId('unmatched-dialog').waitFor();
    await page.keyboard.type('无面单，箱子破损');
    await page.keyboard.press('Enter');
    await page.getByTestId('unmatched-dialog').waitFor({ state: 'detached' });
    await page.keyboard.press('F3');
    await page.keyboard.press('Alt+3');
    await page.getByTestId(`unmatched-row-${LOST_WAYBILL}`).waitFor();
    expect(await page.getByTestId(`unmatched-row-${LOST_WAYBILL}`).textContent()).toContain('圆通');
    await shoot(page, 'backoffice-unmatched');

    sim.control.buyerShips(ids.waiting!, { expressNo: LOST_WAYBILL, expressCode: 6 });
    await call('sync.run', {});
    await expect
      .poll(() => page.getByTestId('notice').allTextContents(), { timeout: 30_000 })
      .toContainEqual(expect.stringContaining(`${LOST_WAYBILL} 已自动关联售后单 ${ids.waiting}`));
    await page.getByTestId('unmatched-show-bound').check();
    await expect
      .poll(() => page.getByTestId(`unmatched-row-${LOST_WAYBILL}`).getByTestId('unmatched-bound').textContent())
      .toBe(ids.waiting);
  });

  it('the audit viewer filters by action and overridden warnings and shows the log status', async ({ page, call }) => {
    await page.keyboard.press('Alt+4');
    await page.getByTestId('audit-panel').waitFor();
    await expect.poll(() => page.getByTestId('audit-row').count()).toBeGreaterThan(3);
    await expect.poll(() => page.getByTestId('audit-chain').getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('audit-chain').textContent()).toContain('哈希链完整');
    await page.getByTestId('audit-filter-action').selectOption('parcels.autoBind');
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(1);
    expect(await page.getByTestId('audit-row').first().getAttribute('data-action')).toBe('parcels.autoBind');
    expect(await page.getByTestId('audit-row').first().textContent()).toContain(ids.waiting!);
    await page.getByTestId('audit-filter-action').selectOption('');
    await page.getByTestId('audit-filter-overridden').check();
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(0);
    await page.getByTestId('audit-filter-overridden').uncheck();
    await expect.poll(() => page.getByTestId('audit-row').count()).toBeGreaterThan(3);
    await shoot(page, 'backoffice-audit');

    // The audit streams to the export worker page by page; the file holds every entry the filter matches.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-audit').getByTestId('export-csv').click(),
    ]);
    const bytes = fs.readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.toString('utf8').slice(1));
    const { total } = await call<{ total: number }>('audit.search', { limit: 1, countTotal: true });
    expect(rows.length - 1).toBe(total);
    expect(rows.slice(1).map((r) => r[4])).toContain('parcels.autoBind'); // after #, desk, time, operator
  });

  it("a scripted shift's numbers on the statistics screen equal its CSV and its XLSX", async ({ page, outcome }) => {
    await page.keyboard.press('F1');
    await page.getByTestId('desk-screen').waitFor();
    await scanBurst(page, 'YT5550001112223');
    await expect.poll(outcome).toBe('ready');
    await page.keyboard.press('Enter');
    await expect.poll(outcome).toBe('confirmed');
    await page.keyboard.press('F3');
    await page.keyboard.press('Alt+5');
    await page.getByTestId('stats-panel').waitFor();
    await page.getByTestId('stat-row').first().waitFor();
    const screen = await page.getByTestId('stat-row').evaluateAll((rows) =>
      rows.map((row) =>
        [...row.querySelectorAll('td')]
          .slice(0, 2)
          .map((td) => td.textContent!.trim())
          .concat(row.getAttribute('data-value')!),
      ),
    );
    const figure = (id: string) => page.locator(`[data-stat="${id}"]`).getAttribute('data-value');
    expect(await figure('scans')).toBe('2');
    expect(await figure('confirms')).toBe('1');
    expect(await figure('confirmedAmountFen')).toBe('4590');
    expect(await figure('outcome.not_found')).toBe('1');
    expect(await figure(`shop.${DEMO_SHOP_NAME}`)).toBe('1');
    await shoot(page, 'backoffice-statistics');

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    expect(csvDownload.suggestedFilename()).toMatch(/^returndesk-statistics-\d{8}-\d{4}\.csv$/);
    const csvBytes = fs.readFileSync((await csvDownload.path())!);
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = parseCsv(csvBytes.toString('utf8').slice(1));
    expect(csv[0]).toEqual(['类别', '项目', '数值']);
    expect(csv.slice(1)).toEqual(screen);

    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await xlsxDownload.path())!);
    const sheet = workbook.worksheets[0]!;
    const xlsx: string[][] = [];
    sheet.eachRow((row) => xlsx.push([1, 2, 3].map((n) => (row.getCell(n).value === null ? '' : String(row.getCell(n).value)))));
    expect(xlsx).toEqual(csv);
  });

  it('two shops at one desk: connected from the shops screen, scans find both, card and queue show the shop', async ({
    page,
    call,
    outcome,
  }) => {
    await page.keyboard.press('F3');
    await page.keyboard.press('Alt+2');
    await page.getByTestId('shops-panel').waitFor();
    await page.getByTestId('shops-add').click();
    await page.getByTestId('shops-screen').waitFor();
    const c = sim2.credentials;
    await page.getByTestId('shops-name').fill('旗舰店');
    await page.getByTestId('shops-baseUrl').fill(sim2.baseUrl);
    await page.getByTestId('shops-appKey').fill(c.appKey);
    await page.getByTestId('shops-signSecret').fill(c.signSecret);
    await page.getByTestId('shops-accessToken').fill(c.accessToken);
    await page.getByTestId('shops-connect').click();
    await page.getByTestId('desk-screen').waitFor({ timeout: 20_000 });
    await until(
      async () => (await call<{ returnWaybill: unknown }>('afterSales.get', { refundId: ids.flagship }).catch(() => null))?.returnWaybill,
    );

    await scanBurst(page, 'SF1400000000888');
    await expect.poll(outcome).toBe('ready');
    expect(await page.getByTestId('card-shop').textContent()).toBe('旗舰店');
    await shoot(page, 'desk-two-shops');
    await page.keyboard.press('Escape');
    await scanBurst(page, LOST_WAYBILL);
    await expect.poll(() => page.getByTestId('card-shop').textContent()).toBe(DEMO_SHOP_NAME);

    await page.keyboard.press('F2');
    await page.getByTestId('queue-shop').waitFor();
    const flagship = (await call<{ shops: { id: string; name: string }[] }>('shops.list', {})).shops.find((s) => s.name === '旗舰店')!;
    await page.getByTestId('queue-shop').selectOption(flagship.id);
    await expect.poll(async () => [...new Set(await page.getByTestId('queue-row-shop').allTextContents())]).toEqual(['旗舰店']);
    await page.getByTestId('queue-shop').selectOption({ index: 0 });

    await page.keyboard.press('F3');
    await page.keyboard.press('Alt+2');
    await page.getByTestId('shop-row-旗舰店').waitFor();
    await shoot(page, 'backoffice-shops');
  });

  it("a shop's own sync interval and pacing are set on the shops screen by keys and read back from the core", async ({
    page,
    desk,
    call,
  }) => {
    await page.keyboard.press('Alt+2');
    const row = page.getByTestId('shop-row-旗舰店');
    await row.waitFor();
    await row.getByTestId('shop-sync-edit').click();
    await row.getByTestId('shop-sync-form').waitFor();
    // Focus starts in the interval field: an interval under 10 s is refused on the spot and nothing is sent.
    await page.keyboard.type('5');
    await page.keyboard.press('Enter');
    await expect.poll(() => row.getByTestId('shop-sync-error').textContent()).toContain('10–3600');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('45');
    await page.keyboard.press('Tab');
    await page.keyboard.type('12');
    await page.keyboard.press('Enter');
    await row.getByTestId('shop-sync-form').waitFor({ state: 'detached' });
    expect(await page.getByTestId('shops-panel-error').count()).toBe(0);
    await expect.poll(() => row.getByTestId('shop-sync-summary').textContent()).toBe('每 45 秒同步 · 每个接口每秒 12 次');
    const overview = await call<{ shops: { shop: { name: string; id: string }; sync: Record<string, number | null> }[] }>('shops.overview');
    const flagship = overview.shops.find((s) => s.shop.name === '旗舰店')!;
    expect(flagship.sync).toEqual({
      syncIntervalMs: 45_000,
      callsPerSecond: 12,
      effectiveSyncIntervalMs: 45_000,
      effectiveCallsPerSecond: 12,
    });
    expect(desk.core.context.platform.pacerFor(flagship.shop.id).rateOf('open.seller.order.refund.pcursor.list')).toBe(12);
    const demo = overview.shops.find((s) => s.shop.name === DEMO_SHOP_NAME)!;
    expect(demo.sync).toMatchObject({ syncIntervalMs: null, callsPerSecond: null });
    const audit = await call<{ entries: { details: { shopId?: string } | null }[] }>('audit.search', { action: 'shops.setSyncSettings' });
    expect(audit.entries.map((e) => e.details?.shopId)).toEqual([flagship.shop.id]);
  });

  it('the scanner test pad times each key and tells a scanner burst from typing, without looking the scan up', async ({ page }) => {
    await page.keyboard.press('Alt+6');
    await page.getByTestId('scanner-pad').waitFor();
    await scanBurst(page, 'SF1400000000888');
    await expect.poll(() => page.getByTestId('pad-verdict').first().getAttribute('data-recognised')).toBe('true');
    expect(await page.getByTestId('pad-verdict').first().textContent()).toContain('SF1400000000888');
    await page.waitForTimeout(500);
    await page.keyboard.type('abc123', { delay: 90 });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('pad-verdict').first().getAttribute('data-recognised')).toBe('false');
    expect(await page.getByTestId('backoffice-screen').count()).toBe(1); // the scan did not jump to the desk
    await shoot(page, 'backoffice-settings');
  });

  it('the custom role made in the UI sees no back office and is refused at confirm', async ({ page, call, outcome, writesFor, signIn }) => {
    await page.keyboard.press('Control+l');
    await signIn('临时工', '1357');
    expect(await page.getByTestId('nav-admin').count()).toBe(0);
    await page.keyboard.press('F3');
    await page.waitForTimeout(300);
    expect(await page.getByTestId('backoffice-screen').count()).toBe(0);
    await scanBurst(page, 'ZTO731234567890');
    await expect.poll(outcome).toBe('ready');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('notice').last().textContent()).toContain('同意退款');
    expect(await outcome()).toBe('ready');
    await expect(call('receipts.confirm', { refundId: ids.ready })).rejects.toMatchObject({ code: 'forbidden' });
    expect(writesFor(ids.ready!)).toEqual([]);
  });
});
