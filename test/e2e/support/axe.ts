// axe-core inside the page under test: every rule of axe 4 on the current screen, in Chinese and in English; a serious
// or critical finding (or a screen without exactly one h1 and a main landmark) fails, naming the rule and the element.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AxeResults, ImpactValue } from 'axe-core';
import { setLocale } from './locale';

const AXE_SOURCE = fs.readFileSync(createRequire(__filename).resolve('axe-core/axe.min.js'), 'utf8');
const FAILING: readonly ImpactValue[] = ['serious', 'critical'];
/** Structure rules that are only "moderate" to axe but part of the desk's own bar (docs/desk.md). */
const STRUCTURE_RULES = ['page-has-heading-one', 'landmark-one-main', 'heading-order'];

export interface AxeFinding {
  rule: string;
  impact: ImpactValue | null;
  help: string;
  elements: { target: string; summary: string }[];
}

/** The findings on the page as it is now that fail the desk's bar. */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  // Evaluated over the DevTools protocol, not as a <script>: the renderer's CSP allows no inline script.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<AxeResults> } }).axe;
    return axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] });
  });
  const h1s = await page.evaluate(() =>
    Array.from(
      (
        globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> } }
      ).document.querySelectorAll('h1'),
      (h) => (h.textContent ?? '').trim(),
    ),
  );
  const oneH1: AxeFinding[] =
    h1s.length === 1
      ? []
      : [
          {
            rule: 'one-h1',
            impact: null,
            help: `a screen has exactly one h1 (found ${h1s.length})`,
            elements: h1s.map((text) => ({ target: 'h1', summary: text })),
          },
        ];
  return results.violations
    .filter((v) => FAILING.includes(v.impact ?? 'minor') || STRUCTURE_RULES.includes(v.id))
    .map((v) => ({
      rule: v.id,
      impact: v.impact ?? null,
      help: v.help,
      elements: v.nodes.map((node) => ({
        target: node.target.map(String).join(' '),
        summary: (node.failureSummary ?? '').replace(/\s+/g, ' ').trim(),
      })),
    }))
    .concat(oneH1);
}

export function describeFindings(screen: string, locale: string, findings: AxeFinding[]): string {
  const lines = [`axe: ${screen} (${locale}) has ${findings.length} failing rule(s):`];
  for (const f of findings) {
    lines.push(`  ${f.rule} [${f.impact ?? 'structure'}] ${f.help}`);
    for (const element of f.elements.slice(0, 12)) lines.push(`    ${element.target} :: ${element.summary}`);
    if (f.elements.length > 12) lines.push(`    … and ${f.elements.length - 12} more`);
  }
  return lines.join('\n');
}

/**
 * The one-line check for a screen or dialog: `await expectAccessible(page, 'queue')`. Runs axe in zh-CN and in English
 * (the app switches without a reload) and leaves the page in zh-CN.
 */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const failures: string[] = [];
  for (const locale of ['zh-CN', 'en'] as const) {
    await setLocale(page, locale);
    await page.waitForTimeout(60);
    const findings = await axeFindings(page);
    if (findings.length > 0) failures.push(describeFindings(screen, locale, findings));
  }
  await setLocale(page, 'zh-CN');
  if (failures.length > 0) throw new Error(failures.join('\n'));
}
