// The core's logger interface; the shell plugs in electron-log, tests and the browser host a console sink.
import { redact, redactText } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export type LogSink = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

/** Wraps a sink so that nothing reaching it can carry a secret. */
export function createLogger(sink: LogSink): Logger {
  const emit = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) =>
    sink(level, redactText(message), fields === undefined ? undefined : (redact(fields) as Record<string, unknown>));
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export function consoleSink(minLevel: LogLevel = 'info'): LogSink {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  return (level, message, fields) => {
    if (order.indexOf(level) < order.indexOf(minLevel)) return;
    const line = `[${new Date().toISOString()}] ${level} ${message}${fields ? ' ' + JSON.stringify(fields) : ''}`;
    if (level === 'error' || level === 'warn') console.error(line);
    else console.log(line);
  };
}

export const silentLogger: Logger = createLogger(() => undefined);
