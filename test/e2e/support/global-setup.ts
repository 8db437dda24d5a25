// Runs once before the e2e files: unpacks the bundled Chromium if that is the one to use (not once per file), says in
// the test output which browser runs the suite, and gives the files a temporary folder for their screenshots.
import fs from 'node:fs';
import os from 'node:os';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { describeChromium, resolveChromium } from './browser';
import { SCREENSHOT_DIR_ENV, screenshotTarget } from './screenshot-target';

declare module 'vitest' {
  export interface ProvidedContext {
    screenshotDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const launch = await resolveChromium();
  const browser = await chromium.launch({ executablePath: launch.executablePath, args: launch.args, env: launch.env, headless: true });
  const version = browser.version();
  await browser.close();
  console.log(describeChromium(launch, version));

  const target = screenshotTarget(process.env, os.tmpdir());
  fs.mkdirSync(target.dir, { recursive: true });
  project.provide('screenshotDir', target.dir);
  console.log(
    target.temporary ? `e2e screenshots: ${target.dir} (removed after the run)` : `e2e screenshots: ${target.dir} (${SCREENSHOT_DIR_ENV})`,
  );
  return () => {
    if (target.temporary) fs.rmSync(target.dir, { recursive: true, force: true });
  };
}
