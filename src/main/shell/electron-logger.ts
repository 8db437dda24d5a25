// Routes the core's (already redacted) log lines into electron-log's rotating file.
import log from 'electron-log/main';
import { createLogger, type Logger } from '../core/log/logger';

export function createElectronLogger(): Logger {
  log.initialize();
  log.transports.file.level = 'info';
  return createLogger((level, message, fields) => log[level](message, fields ?? ''));
}
