// The e2e run writes its screenshots to a fresh temporary folder unless told otherwise (npm run screenshots does).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR_ENV, screenshotTarget } from '../../e2e/support/screenshot-target';

const repo = path.resolve(__dirname, '../../..');
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('screenshotTarget', () => {
  it('is a new temporary folder outside the repository by default, a different one per run', () => {
    const first = screenshotTarget({}, os.tmpdir());
    const second = screenshotTarget({}, os.tmpdir());
    made.push(first.dir, second.dir);
    expect(first.temporary).toBe(true);
    expect(fs.statSync(first.dir).isDirectory()).toBe(true);
    expect(path.relative(repo, first.dir).startsWith('..')).toBe(true);
    expect(second.dir).not.toBe(first.dir);
  });

  it('is the folder named by the environment when npm run screenshots sets it, and then kept', () => {
    expect(screenshotTarget({ [SCREENSHOT_DIR_ENV]: 'docs/screenshots' }, os.tmpdir())).toEqual({
      dir: path.resolve('docs/screenshots'),
      temporary: false,
    });
  });
});
