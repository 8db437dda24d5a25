// The warehouse settings in the back office, by keys: a manager enters URL, TLS mode and password, the core stores
// them (the password sealed, only "set" shown back), a bad URL is refused on screen with nothing saved; axe-clean.
import { describe, expect } from 'vitest';
import { readStoredWarehouseConnection } from '../../src/main/core/warehouse-settings/store';
import { expectAccessible } from './support/axe';
import { e2eDesk } from './support/fixture';

const { it } = e2eDesk({ seed: 'e2e-warehouse-settings', afterSales: 1, start: 'signed-in' });

const URL = 'postgres://desk1@192.168.1.10:5432/returndesk';
const PASSWORD = 'wh-pass-5b1e';

describe('warehouse settings in the back office', () => {
  it('saves URL, TLS and a write-only password from the form; the core reads them back, the password sealed', async ({
    page,
    call,
    app,
  }) => {
    await page.keyboard.press('F3');
    await page.getByTestId('backoffice-screen').waitFor();
    await page.keyboard.press('Alt+6');
    const form = page.getByTestId('warehouse-settings');
    await form.waitFor();
    await expect.poll(() => page.getByTestId('warehouse-status').getAttribute('data-state')).toBe('not_configured');

    // fill(), not fast typing: the settings panel's scanner test pad takes a burst of keys for a scanner.
    await page.getByTestId('warehouse-url').fill(URL);
    await page.getByTestId('warehouse-tls').selectOption('require');
    await page.getByTestId('warehouse-password').fill(PASSWORD);
    await page.getByTestId('warehouse-password').press('Enter'); // submits the form
    await expect.poll(() => page.getByTestId('warehouse-password-state').textContent()).toContain('已保存密码');
    expect(await page.getByTestId('warehouse-password').inputValue()).toBe('');

    const saved = await call<{ url: string; tlsMode: string; passwordSet: boolean }>('warehouse.settings.get', {});
    expect(saved).toMatchObject({ url: URL, tlsMode: 'require', passwordSet: true });
    expect(JSON.stringify(saved)).not.toContain(PASSWORD);
    const ctx = app.desk.core.context;
    expect(readStoredWarehouseConnection(ctx, [ctx.secrets])).toEqual({ url: URL, tls: { mode: 'require' }, password: PASSWORD });
    // Saved settings apply at the next start: this run's desk still works alone.
    expect(await page.getByTestId('warehouse-status').getAttribute('data-state')).toBe('not_configured');
    // The verifying modes show the CA field; the whole panel passes axe in both languages.
    await page.getByTestId('warehouse-tls').selectOption('verify-ca');
    await page.getByTestId('warehouse-ca').waitFor();
    await expectAccessible(page, 'backoffice-warehouse-settings');
    await page.getByTestId('warehouse-tls').selectOption('require');
  });

  it('refuses a URL with the password in it, on screen, and keeps what was saved', async ({ page, call }) => {
    const url = page.getByTestId('warehouse-url');
    await url.fill('postgres://desk1:oops@192.168.1.10/returndesk');
    await page.getByTestId('warehouse-save').click();
    await expect.poll(() => page.getByTestId('warehouse-error').textContent()).toContain('仓库连接设置无效');
    expect(await call<{ url: string }>('warehouse.settings.get', {})).toMatchObject({ url: URL, passwordSet: true });
  });
});
