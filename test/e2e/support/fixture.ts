// One desk per e2e file: a simulator with the file's after-sales, the real core and browser host, Chromium and a page,
// started before the file's first test and stopped after its last; and the helpers every file needs (core calls,
// the card's outcome, the simulator's writes, sign-in, fresh after-sales for a test that must be able to run twice).
// A file writes `const { it, app } = e2eDesk({...})` and its tests ask for what they use: `it('…', async ({ page }) => …)`.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startSimulator, type AfterSaleSpec, type AppliedWrite, type RunningSimulator } from '../../../src/main/sim';
import type { CoreOptions } from '../../../src/main/core/core';
import { configureSync } from '../../../src/main/core/sync/runtime';
import { launchChromium } from './browser';
import { startDesk, type RunningDesk } from './desk';

/** The main operator every file signs in as. */
export const MAIN_NAME = '店长';
export const MAIN_PIN = '246810';

export interface E2eDeskOptions {
  /** The simulator's seed and how many random after-sales it starts with. */
  seed: string;
  afterSales: number;
  /**
   * Adds the file's own after-sales before the desk starts: `add` puts one at the simulator and returns its refund id
   * (with start 'signed-in' the page opens only once the desk's cache holds all of them).
   */
  prepare?: (add: (spec: AfterSaleSpec) => string, sim: RunningSimulator) => void | Promise<void>;
  /**
   * 'first-run': the page is made but not opened (the file's first test goes through the first-run screens);
   * 'signed-in': the main operator and the demo shop are made through the core, the after-sales `prepare` added are
   * in the desk's cache, and the page is open on the desk.
   */
  start: 'first-run' | 'signed-in';
  /** The main operator's PIN, where a file uses its own. */
  pin?: string;
  /** Chromium switches (the fake camera). */
  browserArgs?: readonly string[];
  /** Grants the page the (fake) camera. */
  camera?: boolean;
  acceptDownloads?: boolean;
  /** Called once the core runs, before the page opens (settings a file needs from the start). */
  configure?: (desk: RunningDesk) => void | Promise<void>;
  core?: Partial<CoreOptions>;
}

/** Chromium's fake camera, granted to the page: for the files that take photos and videos. */
export const FAKE_CAMERA = {
  browserArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  camera: true,
} as const;

export interface CallError extends Error {
  code: string;
  details: unknown;
}

/** Waits until `check` answers something truthy; for set-up, where expect.poll is not allowed. */
export async function until(check: () => Promise<unknown>, timeoutMs = 30_000, what = 'the desk'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what} not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const waybillUses = new Map<string, number>();
/**
 * `first` the first time a test asks for it (screenshots and messages stay as written), then a number like it that
 * this run has not used: a retried test that uploads or scans a number on a fresh after-sale must not meet the one its
 * failed first attempt left behind. Each file runs its own simulator and desk, so "this run" is enough.
 */
export function freshWaybill(first: string): string {
  const used = waybillUses.get(first) ?? 0;
  waybillUses.set(first, used + 1);
  const digits = /\d+$/.exec(first)?.[0];
  if (used === 0 || !digits) return first;
  const next = (BigInt(digits) + 100_003n * BigInt(used)) % 10n ** BigInt(digits.length);
  return first.slice(0, -digits.length) + next.toString().padStart(digits.length, '0');
}

export class E2eDesk {
  sim!: RunningSimulator;
  desk!: RunningDesk;
  browser!: Browser;
  page!: Page;

  constructor(private readonly options: E2eDeskOptions) {}

  /** A contract method through the core as the browser host calls it; a refusal throws with its code and details. */
  call = async <T = unknown>(method: string, input: unknown = {}): Promise<T> => {
    const answer = await this.desk.core.dispatch(method, input, 'http');
    if (!answer.ok) {
      throw Object.assign(new Error(`${method}: ${answer.error.code} ${answer.error.message}`), {
        code: answer.error.code,
        details: answer.error.details,
      }) as CallError;
    }
    return answer.data as T;
  };

  /** The scan card's outcome (data-outcome), null with no card. */
  outcome = (): Promise<string | null> => this.page.getByTestId('scan-card').getAttribute('data-outcome');

  /** What reached the simulator (Kuaishou) for one after-sale, in order. */
  writesFor = (refundId: string): AppliedWrite[] => this.sim.control.stats().writes.filter((w) => w.refundId === refundId);

  /** The same, the methods only. */
  methodsFor = (refundId: string): string[] => this.writesFor(refundId).map((w) => w.method);

  /** On the sign-in screen: name, PIN, Enter; resolves on the desk. */
  signIn = async (name = MAIN_NAME, pin = this.pin): Promise<void> => {
    const { page } = this;
    await page.getByTestId('signin-screen').waitFor();
    await page.getByTestId('signin-name').fill(name);
    await page.getByTestId('signin-pin').fill(pin);
    await page.getByTestId('signin-pin').press('Enter');
    await page.getByTestId('desk-screen').waitFor();
  };

  /** The first-run screens by keys: the main operator (name, PIN twice), then the demo shop offered first. */
  firstRun = async (): Promise<void> => {
    const { page } = this;
    await page.goto(this.desk.host.url);
    await page.getByTestId('signin-name').focus();
    await page.keyboard.type(MAIN_NAME);
    await page.keyboard.press('Tab');
    await page.keyboard.type(this.pin);
    await page.keyboard.press('Tab');
    await page.keyboard.type(this.pin);
    await page.keyboard.press('Enter');
    await page.getByTestId('shops-screen').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('desk-screen').waitFor({ timeout: 30_000 });
  };

  /** Back to an empty desk: no dialog, no card, nothing focused. */
  freshDesk = async (): Promise<void> => {
    const { page } = this;
    for (let i = 0; i < 3 && (await page.locator('[role="dialog"]').count()) > 0; i++) await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await page.getByTestId('desk-screen').waitFor();
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('Escape');
  };

  /** On the queue screen: filters to one after-sale by its id, leaves the filter box (Enter) and selects it (Space). */
  pickInQueue = async (refundId: string): Promise<void> => {
    const { page } = this;
    const filter = page.getByTestId('queue-filter');
    await filter.focus();
    await filter.fill(refundId);
    await page.getByTestId(`queue-row-${refundId}`).waitFor();
    // The row shows before the filter has answered (the unfiltered list has it too): Space must find it alone.
    await expect.poll(() => page.getByTestId('queue-count').textContent()).toMatch(/^显示 1 /);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId(`queue-row-${refundId}`).getAttribute('data-selected')).toBe('true');
  };

  /** Waits until the desk's cache holds these after-sales as the simulator has them (waybill and freight claim). */
  waitSynced = async (refundIds: readonly string[], timeoutMs = 60_000): Promise<void> => {
    await this.call('sync.run', {}).catch(() => undefined);
    const synced = async (refundId: string) => {
      const platform = this.sim.control.getAfterSale(refundId);
      const local = await this.call<{ returnWaybill: unknown; returnFreight: unknown }>('afterSales.get', { refundId }).catch(() => null);
      if (local === null || platform === undefined) return false;
      return (
        (platform.logisticsInfo === null || local.returnWaybill !== null) &&
        (platform.returnFreightInfo === null || local.returnFreight !== null)
      );
    };
    await until(async () => (await Promise.all(refundIds.map(synced))).every(Boolean), timeoutMs, `after-sales ${refundIds.join(', ')}`);
  };

  /**
   * A new after-sale at the simulator, synced into the desk: for a test that confirms or uploads, so that its retry
   * (vitest retries a failed e2e test once) starts from an untouched after-sale instead of the one it consumed.
   */
  freshAfterSale = async (spec: AfterSaleSpec): Promise<string> => {
    const { refundId } = this.sim.control.addAfterSale(spec);
    await this.waitSynced([refundId]);
    return refundId;
  };

  private get pin(): string {
    return this.options.pin ?? MAIN_PIN;
  }

  async start(): Promise<void> {
    const o = this.options;
    this.sim = await startSimulator({ seed: o.seed, afterSales: o.afterSales, settleDelayMs: 600_000 });
    const prepared: string[] = [];
    await o.prepare?.((spec) => {
      const { refundId } = this.sim.control.addAfterSale(spec);
      prepared.push(refundId);
      return refundId;
    }, this.sim);
    this.desk = await startDesk({ demoSimulator: async () => this.sim, platform: { qps: 50 }, ...o.core });
    configureSync(this.desk.core.context, { horizonMs: 3 * 86_400_000, retryBaseMs: 200, retryMaxMs: 600, recheckDelayMs: 50 });
    await o.configure?.(this.desk);
    this.browser = await launchChromium(o.browserArgs);
    const context = await this.browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: o.acceptDownloads });
    if (o.camera) await context.grantPermissions(['camera'], { origin: this.desk.host.url });
    this.page = await context.newPage();
    if (o.start === 'first-run') return;
    // The operator and the shop come from the core: the first-run screens are desk.test.ts's business.
    await this.call('operators.bootstrap', { name: MAIN_NAME, pin: this.pin });
    await this.call('shops.connectDemo', {});
    await this.waitSynced(prepared);
    await this.page.goto(this.desk.host.url);
    await this.page.getByTestId('desk-screen').waitFor({ timeout: 30_000 });
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    await this.desk?.stop();
    await this.sim?.close();
  }
}

/** The file's desk (started in beforeAll, stopped in afterAll) and an `it` whose tests are handed its parts. */
export function e2eDesk(options: E2eDeskOptions) {
  const app = new E2eDesk(options);
  beforeAll(() => app.start());
  afterAll(() => app.stop());
  const it = test
    .extend('app', () => app)
    .extend('browser', () => app.browser)
    .extend('page', () => app.page)
    .extend('sim', () => app.sim)
    .extend('desk', () => app.desk)
    .extend('call', () => app.call)
    .extend('outcome', () => app.outcome)
    .extend('writesFor', () => app.writesFor)
    .extend('methodsFor', () => app.methodsFor)
    .extend('signIn', () => app.signIn)
    .extend('freshDesk', () => app.freshDesk)
    .extend('pickInQueue', () => app.pickInQueue)
    .extend('freshAfterSale', () => app.freshAfterSale);
  return { it, app };
}
