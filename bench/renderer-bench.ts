// Renderer rows in Chromium through the browser host: the longest frame when the queue opens (F2) against the
// longest frame of an idle second on the same page, rows reachable by scrolling, and the list traffic a sync
// causes while the queue is open.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Core } from '../src/main/core/core';
import { syncShop } from '../src/main/core/sync/engine';
import { startBrowserHost } from '../src/main/web/host';
import { launchChromium } from '../test/e2e/support/browser';
import { summarize, type Stats } from './measure';

const RENDERER_DIR = path.resolve(__dirname, '../out/renderer');

export interface RendererResult {
  idleFrame: Stats;
  openFrame: Stats;
  rowsShown: number;
  rowsTotal: number;
  syncListCalls: number;
  syncListBytes: number;
  syncEventsSeconds: number;
}

export function rendererAvailable(): string | null {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) return 'renderer not built (npm run build)';
  return null;
}

/** Longest requestAnimationFrame gap (ms) while `action` runs and `settleMs` after it. */
async function longestFrame(page: Page, action: () => Promise<void>, settleMs: number): Promise<number> {
  // Strings: this file is compiled for Node, the code runs in the page.
  await page.evaluate(`(() => {
    window.__gaps = [];
    window.__on = true;
    let last = performance.now();
    const tick = (t) => {
      window.__gaps.push(t - last);
      last = t;
      if (window.__on) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await action();
  await page.waitForTimeout(settleMs);
  return (await page.evaluate(`(() => {
    window.__on = false;
    return Math.max(0, ...window.__gaps);
  })()`)) as number;
}

export async function rendererBench(core: Core, syncShopId: string | null, opens: number): Promise<RendererResult> {
  const host = await startBrowserHost({ core, rendererDir: RENDERER_DIR });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(host.url);
    await page.getByTestId('desk-screen').waitFor({ timeout: 60_000 });
    const idle: number[] = [];
    const open: number[] = [];
    for (let k = 0; k < opens; k += 1) {
      idle.push(await longestFrame(page, async () => {}, 1000));
      open.push(
        await longestFrame(
          page,
          async () => {
            await page.keyboard.press('F2');
            await page.locator('[data-testid^="queue-row-"]').first().waitFor();
          },
          300,
        ),
      );
      await page.keyboard.press('F1');
      await page.getByTestId('desk-screen').waitFor();
    }
    // Scroll the whole queue: every row must become reachable.
    await page.keyboard.press('F2');
    await page.locator('[data-testid^="queue-row-"]').first().waitFor();
    const counts = () => page.getByTestId('queue-count').textContent();
    let previous = (await counts()) ?? '';
    for (let k = 0; k < 400; k += 1) {
      // naive-ui wraps the list (.v-vl, the scroll container) in its scrollbar, which carries the class.
      await page.evaluate(`(() => {
        const scroller = document.querySelector('.vlist .v-vl') ?? document.querySelector('.vlist');
        if (scroller) scroller.scrollTop = scroller.scrollHeight;
      })()`);
      // Wait for the next page to arrive (or give up: nothing more is loading).
      let text = previous;
      for (let waited = 0; waited < 3000 && text === previous; waited += 50) {
        await page.waitForTimeout(50);
        text = (await counts()) ?? '';
      }
      if (text === previous) break;
      previous = text;
    }
    const numbers = ((await counts()) ?? '').match(/\d[\d,]*/g)?.map((s) => Number(s.replace(/,/g, ''))) ?? [0, 0];
    // List traffic while a sync runs with the queue open.
    let calls = 0;
    let bytes = 0;
    page.on('response', (response) => {
      if (!response.url().includes('afterSales.list')) return;
      calls += 1;
      void response
        .body()
        .then((b) => (bytes += b.length))
        .catch(() => {});
    });
    const t0 = performance.now();
    if (syncShopId) await syncShop(core.context, syncShopId);
    await page.waitForTimeout(1500);
    return {
      idleFrame: summarize(
        'idle second',
        idle.map((ms) => ms * 1000),
      ),
      openFrame: summarize(
        'queue opens (F2)',
        open.map((ms) => ms * 1000),
      ),
      rowsShown: numbers[0] ?? 0,
      rowsTotal: numbers[1] ?? 0,
      syncListCalls: calls,
      syncListBytes: bytes,
      syncEventsSeconds: (performance.now() - t0) / 1000,
    };
  } finally {
    await browser.close();
    await host.close();
  }
}
