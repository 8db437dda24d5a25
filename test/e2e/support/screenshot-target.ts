// Where the e2e run writes its screenshots: a fresh temporary folder, so `npm test` never touches tracked files;
// docs/screenshots only when `npm run screenshots` asks for it on purpose.
import fs from 'node:fs';
import path from 'node:path';

export const SCREENSHOT_DIR_ENV = 'RETURNDESK_SCREENSHOT_DIR';

export function screenshotTarget(env: NodeJS.ProcessEnv, tmpRoot: string): { dir: string; temporary: boolean } {
  const chosen = env[SCREENSHOT_DIR_ENV];
  if (chosen) return { dir: path.resolve(chosen), temporary: false };
  return { dir: fs.mkdtempSync(path.join(tmpRoot, 'returndesk-screenshots-')), temporary: true };
}
