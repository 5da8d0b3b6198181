/**
 * Starts `gatehouse start --config <folder>` (the built CLI, a real process) for the Gatehouse
 * arms and scale cases, and reads the gateway URL it prints. `workers` > 1 passes `--workers N`.
 */
import { join } from 'node:path';
import { ensureGatehouseBuilt } from '../harness/gatehouse-build.js';
import { launchProcess, type LaunchedProcess } from '../harness/process-launcher.js';

export interface GatehouseInstance {
  url: string;
  process: LaunchedProcess;
}

/** Starts Gatehouse on a free loopback port serving the APIOps folder `configDir`. */
export async function startGatehouse(
  root: string,
  configDir: string,
  dataDir: string,
  log: (line: string) => void,
  options: { workers?: number; extraArgs?: string[]; readyTimeoutMs?: number } = {},
): Promise<GatehouseInstance> {
  await ensureGatehouseBuilt(root, log);
  const args = [join(root, 'bin', 'gatehouse.js'), 'start', '--config', configDir, '--data', dataDir, '--gateway-port', '0', '--management-port', '0', '--management-https-port', '0', '--host', '127.0.0.1'];
  if (options.workers && options.workers > 1) args.push('--workers', String(options.workers));
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
