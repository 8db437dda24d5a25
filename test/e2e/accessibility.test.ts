// Accessibility end to end: the axe check itself fails when it should (rule and element named), the screens the
// other files do not photograph (empty desk, queue without detail), the queue as a focusable listbox that follows the
// cursor, and the high-contrast setting (saved per desk, larger card type, still AA under axe).
import { describe, expect } from 'vitest';
import { expectAccessible } from './support/axe';
import { e2eDesk } from './support/fixture';
import { scanBurst, shoot } from './support/scanner';

const ids: Record<string, string> = {};

const { it, app } = e2eDesk({
  seed: 'e2e-a11y',
  afterSales: 4,
  start: 'signed-in',
  prepare: (add) => {
    ids.ready = add({ status: 40, returnWaybill: { expressNo: 'YT4440001112223', expressCode: 6 }, freightInsurance: false });
    ids.waiting = add({ status: 30, returnWaybill: null, freightInsurance: true });
  },
});

// Page-side checks as expressions: the tests compile without the DOM library.
const inPage = <T>(expression: string) => app.page.evaluate(expression) as Promise<T>;
const css = (selector: string, property: string) =>
  inPage<string>(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).getPropertyValue(${JSON.stringify(property)})`);
const highContrast = () => inPage<boolean>(`document.documentElement.classList.contains('hc')`);

describe('accessibility in Chromium', () => {
  it('the axe check fails on a low-contrast element and on a second h1, naming the rule and the element', async ({ page }) => {
    await expectAccessible(page, 'desk-empty');
    await inPage(`document.querySelector('main').insertAdjacentHTML('beforeend',
      '<p id="faint-text" style="color:#bbbbbb;background:#ffffff">浅灰色的字 faint text</p><h1 id="second-h1">第二个标题</h1>')`);
    const failure = await expectAccessible(page, 'desk-tampered').then(
      () => null,
      (error: Error) => error.message,
    );
    expect(failure).toContain('axe: desk-tampered (zh-CN)');
    expect(failure).toContain('axe: desk-tampered (en)');
    expect(failure).toMatch(/color-contrast \[serious\][\s\S]*#faint-text :: .*#bbbbbb/);
    expect(failure).toMatch(/one-h1 .*found 2/);
    await inPage(`document.getElementById('faint-text').remove(); document.getElementById('second-h1').remove()`);
    await expectAccessible(page, 'desk-empty');
  });

  it('the queue is a focusable listbox: the cursor row is its active descendant, Space marks it selected', async ({ page }) => {
    await page.keyboard.press('F2');
    await page.getByTestId('queue-screen').waitFor();
    const listbox = page.getByTestId('queue-listbox');
    await page.getByTestId(`queue-row-${ids.ready}`).waitFor();
    expect(await listbox.getAttribute('role')).toBe('listbox');
    expect(await listbox.getAttribute('tabindex')).toBe('0');
    // The list has the focus from the start: a screen reader announces the cursor row.
    await expect.poll(() => inPage(`document.activeElement.getAttribute('role')`)).toBe('listbox');
    const active = async () => page.locator(`[id="${await listbox.getAttribute('aria-activedescendant')}"]`);
    const first = await active();
    expect(await first.getAttribute('role')).toBe('option');
    await page.keyboard.press('ArrowDown');
    await expect.poll(async () => (await active()).getAttribute('data-testid')).not.toBe(await first.getAttribute('data-testid'));
    const second = await active();
    expect(await second.getAttribute('aria-selected')).toBe('false');
    await page.keyboard.press('Space');
    await expect.poll(() => second.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Space');
    await expect.poll(() => second.getAttribute('aria-selected')).toBe('false');
    await expectAccessible(page, 'queue-list');
  });

  it('high contrast: switched in settings, saved for the desk, larger card type and stronger colours, AA under axe', async ({
    page,
    call,
    outcome,
  }) => {
    await page.keyboard.press('F1');
    await page.getByTestId('desk-screen').waitFor();
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await scanBurst(page, 'YT4440001112223');
    await expect.poll(outcome).toBe('ready');
    const normalSize = parseFloat(await css('[data-testid="card-outcome"]', 'font-size'));
    const normalFill = await css('.banner', 'background-color');

    await page.keyboard.press('Control+Comma');
    await page.getByTestId('settings-dialog').waitFor();
    await page.getByTestId('settings-highContrast').check();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('settings-dialog').count()).toBe(0);
    expect(await call('settings.get', {})).toMatchObject({ highContrast: true });
    await expect.poll(highContrast).toBe(true);
    expect(parseFloat(await css('[data-testid="card-outcome"]', 'font-size'))).toBeGreaterThan(normalSize);
    expect(await css('.banner', 'background-color')).not.toBe(normalFill);
    await shoot(page, 'desk-ready-high-contrast');

    await scanBurst(page, ids.waiting!);
    await expect.poll(outcome).toBe('waiting_for_buyer');
    await expectAccessible(page, 'desk-waiting-high-contrast');

    // Saved for the desk: a reload (or another operator) keeps it.
    await page.reload();
    await page.getByTestId('desk-screen').waitFor();
    await expect.poll(highContrast).toBe(true);
    await call('settings.save', { highContrast: false });
    await page.reload();
    await page.getByTestId('desk-screen').waitFor();
    await expect.poll(highContrast).toBe(false);
  });
});
