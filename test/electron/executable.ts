// The installed Electron executable, found without triggering electron's on-demand download.
import fs from 'node:fs';
import path from 'node:path';

export function electronExecutable(root: string): string | null {
  const pathFile = path.join(root, 'node_modules/electron/path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const executable = path.join(root, 'node_modules/electron/dist', fs.readFileSync(pathFile, 'utf8'));
  return fs.existsSync(executable) ? executable : null;
}
