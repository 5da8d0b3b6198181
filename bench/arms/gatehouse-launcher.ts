/**
 * Starts `gatehouse start --config <folder>` (the built CLI, a real process) for the Gatehouse
 * arms and scale cases, and reads the gateway URL it prints. `workers` passes `--workers N`
 * (0: the gateway in the start process); without it, `--workers 1`: one gateway process, so the
 * arms compared with single-process proxies do not follow `start`'s default of one per core.
 * `nodeArgs` go to Node before bin/gatehouse.js (e.g. `--import` of a module hook); a gateway
 * worker inherits them, as node:cluster forks with the start process's exec arguments.
 * The access log and the metrics are off unless asked for (`observe`): the launcher keeps every
 * stdout line, so an access log there would grow the harness's memory with every request.
 */
import { join } from 'node:path';
import { ensureGatehouseBuilt } from '../harness/gatehouse-build.js';
import { launchProcess, type LaunchedProcess } from '../harness/process-launcher.js';

export interface GatehouseInstance {
  url: string;
  process: LaunchedProcess;
}

/** `bin/gatehouse.js start` serving `configDir` from `dataDir`, every port free and on loopback (what follows `node`). */
export function gatehouseStartArgs(root: string, configDir: string, dataDir: string): string[] {
  return [join(root, 'bin', 'gatehouse.js'), 'start', '--config', configDir, '--data', dataDir, '--gateway-port', '0', '--management-port', '0', '--management-https-port', '0', '--portal-port', '0', '--host', '127.0.0.1'];
}

/** Starts Gatehouse on a free loopback port serving the APIOps folder `configDir`. */
export async function startGatehouse(
  root: string,
  configDir: string,
  dataDir: string,
  log: (line: string) => void,
  options: {
    /** `--workers`; 1 when omitted. */
    workers?: number;
    /** Node options placed before bin/gatehouse.js, inherited by the gateway processes. */
    nodeArgs?: string[];
    extraArgs?: string[];
    readyTimeoutMs?: number;
    /** `--access-log FILE` (a real file, or /dev/null) and `--metrics on`; both off when omitted. */
    observe?: { accessLogFile: string };
  } = {},
): Promise<GatehouseInstance> {
  await ensureGatehouseBuilt(root, log);
  const args = [...(options.nodeArgs ?? []), ...gatehouseStartArgs(root, configDir, dataDir)];
  args.push('--workers', String(options.workers ?? 1));
  if (options.observe) args.push('--access-log', options.observe.accessLogFile, '--metrics', 'on');
  else args.push('--access-log', 'off', '--metrics', 'off');
  args.push(...(options.extraArgs ?? []));
  const proc = await launchProcess(process.execPath, args, {
    cwd: root,
    name: 'gatehouse',
    env: { GATEHOUSE_LOG_LEVEL: 'warn' },
    readyWhen: /gateway \(http\): (\S+)/,
    readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
  });
  return { url: proc.ready[1]!, process: proc };
}
