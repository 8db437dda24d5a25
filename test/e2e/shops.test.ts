// Connecting a real shop from the shop screen with an OAuth authorization code, against the simulator.
import fs from 'node:fs';
import { beforeAll, describe, expect } from 'vitest';
import { e2eDesk } from './support/fixture';

// The simulator is the real shop here, connected by its OAuth code (the demo shop is not used).
const { it, app } = e2eDesk({ seed: 'e2e-shops', afterSales: 10, start: 'first-run' });

beforeAll(async () => {
  await app.call('operators.bootstrap', { name: '店长', pin: '1357' });
});

describe('shop screen', () => {
  it('exchanges an authorization code for tokens and lands on the desk; the secrets stay sealed', async ({ page, sim, desk }) => {
    await page.goto(desk.host.url);
    await page.getByTestId('shops-screen').waitFor();
    const c = sim.credentials;
    await page.getByTestId('shops-name').fill('旗舰店');
    await page.getByTestId('shops-baseUrl').fill(sim.baseUrl);
    await page.getByTestId('shops-appKey').fill(c.appKey);
    await page.getByTestId('shops-appSecret').fill(c.appSecret);
    await page.getByTestId('shops-signSecret').fill(c.signSecret);
    await page.getByTestId('shops-code').fill(sim.control.issueAuthCode());
    await page.getByTestId('shops-connect').click();
    await page.getByTestId('desk-screen').waitFor({ timeout: 20_000 });
    const listed = await desk.core.dispatch('shops.list', {}, 'http');
    expect(listed).toMatchObject({
      ok: true,
      data: { shops: [{ name: '旗舰店', authMode: 'oauth', status: 'connected', canRefresh: true }] },
    });
    const files = [desk.core.context.databasePath, `${desk.core.context.databasePath}-wal`].filter((file) => fs.existsSync(file));
    for (const file of files) {
      const bytes = fs.readFileSync(file);
      expect(bytes.includes(Buffer.from(c.appSecret)), file).toBe(false);
      expect(bytes.includes(Buffer.from(c.signSecret)), file).toBe(false);
    }
  });
});
