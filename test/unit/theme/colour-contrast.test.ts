// Every outcome colour of theme.css + outcome-colors.css meets WCAG AA, in the normal and the high-contrast palette,
// including outcomes the e2e run never reaches (axe only sees what is on screen).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Read as files: vitest hands CSS imports (even ?raw) to tests as empty strings.
const renderer = path.resolve(__dirname, '../../../src/renderer/src');
const theme = fs.readFileSync(path.join(renderer, 'ui/theme.css'), 'utf8');
const outcomes = fs.readFileSync(path.join(renderer, 'ui/outcome-colors.css'), 'utf8');

type Tokens = Record<string, string>;

/** The custom properties declared in the first block whose selector is exactly `selector`. */
function block(css: string, selector: string): Tokens {
  const escaped = selector.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const body = new RegExp(`(?:^|\\n)${escaped}\\s*\\{([^}]*)\\}`).exec(css)?.[1];
  if (body === undefined) throw new Error(`no block ${selector}`);
  return Object.fromEntries([...body.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
}

function resolve(value: string, tokens: Tokens): string {
  const reference = /^var\((--[\w-]+)\)$/.exec(value);
  if (!reference) return value;
  const target = tokens[reference[1]!];
  if (target === undefined) throw new Error(`unknown token ${reference[1]}`);
  return resolve(target, tokens);
}

function luminance(hex: string): number {
  const full = hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex;
  const [r, g, b] = [1, 3, 5]
    .map((i) => parseInt(full.slice(i, i + 2), 16) / 255)
    .map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

const OUTCOMES = [...outcomes.matchAll(/\.o-([\w]+)\s*\{/g)].map((m) => m[1]!);
const PALETTES = { normal: block(theme, ':root'), high: { ...block(theme, ':root'), ...block(theme, ':root.hc') } };
/** The light backgrounds secondary and ink-coloured text sits on (cards, panels, selected and cursor rows). */
const LIGHT_BACKGROUNDS = ['#ffffff', '#fafafc', '#f5f6f9', '#f1f3f7', '#eef1f6', '#effaf3', '#fff6e0', '#f5e9c8', '#e8eefc'];

describe('colour contrast', () => {
  it('covers every scan outcome', () => {
    expect(OUTCOMES).toEqual(expect.arrayContaining(['ready', 'waiting_for_buyer', 'not_found', 'idle', 'duplicate', 'multiple']));
    expect(OUTCOMES.length).toBeGreaterThanOrEqual(14);
  });

  for (const [name, tokens] of Object.entries(PALETTES)) {
    it(`${name}: each outcome's text on its fill is at least 4.5:1, its ink on white too, and it has an icon`, () => {
      for (const outcome of OUTCOMES) {
        const own = block(outcomes, `.o-${outcome}`);
        const fill = resolve(own['--c']!, tokens);
        const text = resolve(own['--on-c']!, tokens);
        const ink = resolve(own['--c-ink']!, tokens);
        expect(contrast(fill, text), `${outcome}: ${text} on ${fill}`).toBeGreaterThanOrEqual(4.5);
        expect(contrast(ink, '#ffffff'), `${outcome}: ${ink} on white`).toBeGreaterThanOrEqual(4.5);
        expect(own['--icon'], outcome).toMatch(/^'.+'$/);
      }
    });

    it(`${name}: text tokens are at least 4.5:1 on every light background they are used on`, () => {
      for (const token of ['--text', '--muted', '--bad', '--ok', '--warn-ink', '--info-ink', '--accent']) {
        for (const background of LIGHT_BACKGROUNDS) {
          expect(contrast(resolve(tokens[token]!, tokens), background), `${token} on ${background}`).toBeGreaterThanOrEqual(4.5);
        }
      }
      expect(contrast(resolve(tokens['--warn-fill']!, tokens), '#ffffff'), 'white on --warn-fill').toBeGreaterThanOrEqual(4.5);
    });
  }

  it('high contrast is stronger: every outcome fill differs and the card type is larger', () => {
    for (const token of Object.keys(PALETTES.normal).filter((key) => key.startsWith('--o-'))) {
      expect(PALETTES.high[token], token).not.toBe(PALETTES.normal[token]);
    }
    for (const token of ['--card-title', '--card-hint', '--card-facts', '--card-item', '--card-money']) {
      expect(parseFloat(PALETTES.high[token]!), token).toBeGreaterThan(parseFloat(PALETTES.normal[token]!));
    }
  });
});
