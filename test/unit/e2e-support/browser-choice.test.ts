// Which Chromium the browser tests pick: CHROMIUM_PATH, then Debian's, then the one inside @sparticuz/chromium.
import { describe, expect, it } from 'vitest';
import { BUNDLED_SWITCH, SYSTEM_CHROMIUM, chooseChromium, describeChromium } from '../../e2e/support/browser';

describe('chooseChromium', () => {
  it('takes CHROMIUM_PATH first, then /usr/bin/chromium, then the bundled build', () => {
    expect(chooseChromium({ CHROMIUM_PATH: '/opt/chrome/chrome' }, true)).toEqual({ source: 'CHROMIUM_PATH', path: '/opt/chrome/chrome' });
    expect(chooseChromium({}, true)).toEqual({ source: 'system', path: SYSTEM_CHROMIUM });
    expect(chooseChromium({}, false)).toEqual({ source: 'bundled', path: null });
  });

  it('the switch ignores every installed Chromium; other values of it do not', () => {
    expect(chooseChromium({ [BUNDLED_SWITCH]: '1', CHROMIUM_PATH: '/opt/chrome/chrome' }, true)).toEqual({ source: 'bundled', path: null });
    expect(chooseChromium({ [BUNDLED_SWITCH]: '0' }, true)).toEqual({ source: 'system', path: SYSTEM_CHROMIUM });
  });

  it('names the browser in the test output and how to switch', () => {
    const system = describeChromium({ source: 'system', executablePath: SYSTEM_CHROMIUM, args: [], env: {} }, '156.0');
    expect(system).toBe(`e2e browser: Chromium 156.0 at /usr/bin/chromium; ${BUNDLED_SWITCH}=1 runs the bundled one`);
    const bundled = describeChromium({ source: 'bundled', executablePath: '/tmp/chromium', args: [], env: {} }, '147.0');
    expect(bundled).toBe('e2e browser: bundled Chromium 147.0 from @sparticuz/chromium (/tmp/chromium)');
  });
});
