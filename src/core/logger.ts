/** The process logger (pino). Secrets are never passed to it. */
import { pino, type Logger } from 'pino';

export type { Logger };

/** Creates the root logger; `GATEHOUSE_LOG_LEVEL` sets the level (default `info`, `silent` in tests). */
export function createLogger(level = process.env.GATEHOUSE_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
}
