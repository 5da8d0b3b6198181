/**
 * The `start` flags of the access log and the metrics (docs/observability.md):
 * `--access-log stdout|stderr|off|FILE` (default stdout) and `--metrics on|off` (default on),
 * with their GATEHOUSE_ACCESS_LOG / GATEHOUSE_METRICS twins.
 */
import type { AccessLogTarget } from '../gateway/access-log.js';

export interface ObservabilityOptions {
  /** Where the access log goes; null for `off`. */
  accessLog: AccessLogTarget | null;
  /** Whether the gateway keeps metrics and the management listener serves `GET /metrics`. */
  metrics: boolean;
}

/** The flags this file reads (all strings). */
export const observabilityFlags = ['access-log', 'metrics'] as const;

/** Reads the flags; `value` returns a flag's text (command line, then environment twin). */
export function parseObservabilityOptions(value: (flag: string) => string | undefined, usage: (message: string) => Error): ObservabilityOptions {
  const accessLog = value('access-log') ?? 'stdout';
  const metrics = value('metrics') ?? 'on';
  if (!/^(on|off)$/.test(metrics)) throw usage(`Invalid --metrics '${metrics}': expected on or off.`);
  if (accessLog.trim() === '' || accessLog !== accessLog.trim()) {
    throw usage(`Invalid --access-log '${accessLog}': expected stdout, stderr, off or a file path.`);
  }
  return { accessLog: accessLogTarget(accessLog), metrics: metrics === 'on' };
}

function accessLogTarget(text: string): AccessLogTarget | null {
  if (text === 'off') return null;
  if (text === 'stdout' || text === 'stderr') return { kind: text };
  return { kind: 'file', path: text };
}
