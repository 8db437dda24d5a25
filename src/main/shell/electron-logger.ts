// Routes the core's (already redacted) log lines into electron-log's rotating file.
import log from 'electron-log/main';
import { createLogger, type Logger } from '../core/log/logger';

export function createElectronLogger(): Logger {
  // No preload: electron-log's would expose `__electronLog` to the page, an unchecked channel into main.log.
  // The renderer never logs through it; the core's lines are redacted before they get here.
  log.initialize({ preload: false });
  log.transports.file.level = 'info';
  return createLogger((level, message, fields) => log[level](message, fields ?? ''));
}
