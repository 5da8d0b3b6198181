/**
 * The process logger (pino), writing to stderr: JSON lines for machines, or short readable lines
 * for a person at a terminal (`pretty`). Secrets are never passed to it.
 */
import pinoModule from 'pino';
import type { Logger } from 'pino';

export type { Logger };

/** `json`: one JSON object a line. `pretty`: `12:04:05 warn  message key=value`. */
export type LogFormat = 'json' | 'pretty';

/** Creates the root logger; `GATEHOUSE_LOG_LEVEL` sets the default level (`info`). */
export function createLogger(level = process.env.GATEHOUSE_LOG_LEVEL ?? 'info', format: LogFormat = 'json'): Logger {
  const destination = format === 'pretty' ? { write: (line: string) => void process.stderr.write(prettyLogLine(line)) } : pinoModule.destination({ dest: 2, sync: true });
  return pinoModule({ level, base: undefined, timestamp: pinoModule.stdTimeFunctions.isoTime }, destination);
}

const levelNames: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** One JSON log line as a short readable line (a line that is not JSON is kept as it is). */
export function prettyLogLine(jsonLine: string): string {
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(jsonLine);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return jsonLine;
    record = parsed as Record<string, unknown>;
  } catch {
    return jsonLine;
  }
  const { level, time, msg, ...fields } = record;
  const clock = typeof time === 'string' && !Number.isNaN(Date.parse(time)) ? new Date(time).toTimeString().slice(0, 8) : '--:--:--';
  const levelName = (typeof level === 'number' && levelNames[level]) || String(level ?? '');
  const details = Object.entries(fields).map(([key, value]) => `${key}=${fieldText(value)}`);
  const text = [typeof msg === 'string' ? msg : '', details.join(' ')].filter((part) => part !== '').join('  ');
  return `${clock} ${levelName.padEnd(5)} ${text}\n`;
}

function fieldText(value: unknown): string {
  // pino serialises errors as { type, message, stack }: the message is what a reader needs.
  if (value !== null && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string') return JSON.stringify((value as { message: string }).message);
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value);
}
