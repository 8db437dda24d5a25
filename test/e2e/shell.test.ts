// The skeleton end to end: the real renderer in Chromium, through the browser host, reading app.info from SQLite.
import { describe, expect } from 'vitest';
import { e2eDesk } from './support/fixture';

// No shop and no operator: the page opens on the first-run screen, whose status bar is what these tests read.
const { it } = e2eDesk({
  seed: 'e2e-shell',
  afterSales: 0,
  start: 'first-run',
  configure: (desk) => {
    desk.core.context.db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run('e2e.marker', '"1"', 1);
  },
});

describe('desk shell in Chromium', () => {
  it('shows app.info from the real SQLite file in the status bar, in Chinese by default', async ({ browser, desk }) => {
    const page = await browser.newPage();
    await page.goto(desk.host.url);
    await expect.poll(() => page.getByTestId('status-schema').textContent()).toContain('数据库结构 v');
    const schema = desk.core.context.db.pragma('user_version', { simple: true }) as number;
    expect(await page.getByTestId('status-schema').textContent()).toBe(`数据库结构 v${schema}`);
    expect(await page.getByTestId('status-data-dir').textContent()).toContain(desk.dataDir);
    expect(await page.getByTestId('status-transport').textContent()).toBe('浏览器模式');
    expect(page.url()).not.toContain('token=');
    await page.close();
  });

  it('keeps the token across a reload but refuses a page opened without it', async ({ browser, desk }) => {
    const page = await browser.newPage();
    await page.goto(desk.host.url);
    await page.getByTestId('status-schema').waitFor();
    await page.reload();
    await page.getByTestId('status-schema').waitFor();
    const stranger = await browser.newPage();
    await stranger.goto(desk.host.url.replace(/#token=.*/, ''));
    await expect.poll(() => stranger.getByTestId('status-error').isVisible()).toBe(true);
    await page.close();
    await stranger.close();
  });

  it('switches to English and remembers it', async ({ browser, desk }) => {
    const page = await browser.newPage();
    await page.goto(desk.host.url);
    await page.getByTestId('status-schema').waitFor();
    await page.getByTestId('locale-select').click();
    await page.getByText('English', { exact: true }).click();
    await expect.poll(() => page.getByTestId('status-transport').textContent()).toBe('Browser mode');
    await page.reload();
    await expect.poll(() => page.getByTestId('status-transport').textContent()).toBe('Browser mode');
    await page.close();
  });
});
