/**
 * The `start` flags of the access log and the metrics (docs/observability.md):
 * `--access-log stdout|stderr|off|FILE` (default stdout) and `--metrics on|off` (default on),
 * with their GATEHOUSE_ACCESS_LOG / GATEHOUSE_METRICS twins.
 */
import type { AccessLogTarget } from '../gateway/access-log.js';
import { UsageError, type CommandLine, type OptionRow } from './command-options.js';

export interface ObservabilityOptions {
  /** Where the access log goes; null for `off`. */
  accessLog: AccessLogTarget | null;
  /** Whether the gateway keeps metrics and the management listener serves `GET /metrics`. */
  metrics: boolean;
}

/** The rows of `start`'s option table this file reads. */
export const observabilityRows: OptionRow[] = [
  {
    name: 'access-log',
    kind: 'value',
    valueName: 'stdout|stderr|off|FILE',
    environment: true,
    defaultText: 'stdout',
    description: 'where the access log goes: one JSON line per gateway request',
  },
  { name: 'metrics', kind: 'value', valueName: 'on|off', environment: true, defaultText: 'on', description: 'Prometheus metrics at GET /metrics on the management port (admin token)' },
];

/** Reads the options of the rows above. */
export function parseObservabilityOptions(line: CommandLine): ObservabilityOptions {
  const metrics = line.text('metrics') ?? 'on';
  if (!/^(on|off)$/.test(metrics)) throw new UsageError(`Invalid ${line.source('metrics')} '${metrics}': expected on or off.`);
  return { accessLog: parseAccessLogOption(line), metrics: metrics === 'on' };
}

/** Reads `--access-log` alone (`gatehouse gateway` has no `--metrics`). */
export function parseAccessLogOption(line: CommandLine): AccessLogTarget | null {
  const accessLog = line.text('access-log') ?? 'stdout';
  if (accessLog.trim() === '' || accessLog !== accessLog.trim()) {
    throw new UsageError(`Invalid ${line.source('access-log')} '${accessLog}': expected stdout, stderr, off or a file path.`);
  }
  return accessLogTarget(accessLog);
}

function accessLogTarget(text: string): AccessLogTarget | null {
  if (text === 'off') return null;
  if (text === 'stdout' || text === 'stderr') return { kind: text };
  return { kind: 'file', path: text };
}
