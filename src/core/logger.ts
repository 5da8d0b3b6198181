/** The process logger (pino), writing JSON lines to stderr. Secrets are never passed to it. */
import pinoModule from 'pino';
import type { Logger } from 'pino';

export type { Logger };

/** Creates the root logger; `GATEHOUSE_LOG_LEVEL` sets the level (default `info`). */
export function createLogger(level = process.env.GATEHOUSE_LOG_LEVEL ?? 'info'): Logger {
  return pinoModule(
    { level, base: undefined, timestamp: pinoModule.stdTimeFunctions.isoTime },
    pinoModule.destination({ dest: 2, sync: true }),
  );
}
