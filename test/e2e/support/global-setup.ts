// Runs once before the e2e files: unpacks the bundled Chromium if that is the one to use (not once per file, not in
// parallel) and says in the test output which browser runs the suite.
import { chromium } from 'playwright-core';
import { describeChromium, resolveChromium } from './browser';

export default async function setup(): Promise<void> {
  const launch = await resolveChromium();
  const browser = await chromium.launch({ executablePath: launch.executablePath, args: launch.args, env: launch.env, headless: true });
  const version = browser.version();
  await browser.close();
  console.log(describeChromium(launch, version));
}
