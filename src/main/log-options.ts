/**
 * `start`'s log options: `--log-level` (GATEHOUSE_LOG_LEVEL, default info) and `--log-format
 * auto|json|pretty` (GATEHOUSE_LOG_FORMAT, default auto: readable lines when the log's stream,
 * stderr, is a terminal, JSON lines otherwise). The access log is not concerned: it stays JSON.
 */
import type { LogFormat } from '../core/logger.js';
import { UsageError, type CommandLine, type OptionRow } from './command-options.js';

/** The level names the logger (pino) accepts, quietest last. */
const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

export interface LogOptions {
  level: string;
  format: LogFormat | 'auto';
}

/** The rows of `start`'s option table this file reads. */
export const logRows: OptionRow[] = [
  { name: 'log-level', kind: 'value', valueName: logLevels.join('|'), environment: true, defaultText: 'info', description: 'the least severe log line written to stderr' },
  {
    name: 'log-format',
    kind: 'value',
    valueName: 'auto|json|pretty',
    environment: true,
    defaultText: 'auto (pretty when stderr is a terminal, else json)',
    description: 'the log lines on stderr: JSON objects or short readable lines',
  },
];

/** Reads the options of the rows above. */
export function parseLogOptions(line: CommandLine): LogOptions {
  const level = line.text('log-level') ?? 'info';
  if (!(logLevels as readonly string[]).includes(level)) throw new UsageError(`Invalid ${line.source('log-level')} '${level}': expected one of ${logLevels.join(', ')}.`);
  const format = line.text('log-format') ?? 'auto';
  if (format !== 'auto' && format !== 'json' && format !== 'pretty') throw new UsageError(`Invalid ${line.source('log-format')} '${format}': expected auto, json or pretty.`);
  return { level, format };
}

/** The format `auto` stands for on this process: pretty on a terminal. */
export function resolveLogFormat(format: LogOptions['format'], stderrIsTerminal = process.stderr.isTTY === true): LogFormat {
  if (format !== 'auto') return format;
  return stderrIsTerminal ? 'pretty' : 'json';
}
