// `npm run screenshots`: refreshes docs/screenshots on purpose (the tests never write there). Runs the e2e suite with
// its screenshots sent to a temporary folder and, only when every test passed, replaces docs/screenshots/*.png.
// `npm run screenshots -- test/e2e/desk.test.ts` refreshes only the pictures those files take (the others stay).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');
const target = path.join(root, 'docs', 'screenshots');

// Half of every picture is Chinese: without a CJK font Chromium draws boxes. Windows and macOS always have one.
if (process.platform === 'linux') {
  const fonts = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  if (fonts.error || fonts.stdout.trim() === '') {
    console.error(
      [
        'No Chinese (CJK) font is installed, so the zh-CN screenshots would show boxes instead of text.',
        'Install one and run again, e.g.:  apt-get install -y fonts-wqy-microhei   (or fonts-noto-cjk)',
      ].join('\n'),
    );
    process.exit(1);
  }
  console.log(`screenshots: CJK font ${fonts.stdout.trim().split('\n')[0]}`);
}

const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'returndesk-screenshots-'));
const vitest = path.join(path.dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const files = process.argv.slice(2);
const run = spawnSync(process.execPath, [vitest, 'run', '--project', 'e2e', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, RETURNDESK_SCREENSHOT_DIR: shots },
});
const taken = fs.readdirSync(shots).filter((file) => file.endsWith('.png'));
if (run.status !== 0 || taken.length === 0) {
  if (taken.length === 0) fs.rmSync(shots, { recursive: true, force: true });
  console.error(`screenshots: the e2e run failed (or took no picture); docs/screenshots is left as it was. Pictures so far: ${shots}`);
  process.exit(run.status || 1);
}
// A full run replaces the folder, so a screen that no longer exists loses its picture; a partial run only adds.
if (files.length === 0)
  for (const file of fs.readdirSync(target).filter((name) => name.endsWith('.png'))) fs.rmSync(path.join(target, file));
for (const file of taken) fs.copyFileSync(path.join(shots, file), path.join(target, file));
fs.rmSync(shots, { recursive: true, force: true });
console.log(`screenshots: ${taken.length} pictures written to docs/screenshots (review with git diff --stat docs/screenshots)`);
