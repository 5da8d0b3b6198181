/**
 * What a test of the admin console needs from a running `gatehouse start`: the console URL it
 * prints, the management URLs, the admin token, and the ARM path of the service as the console
 * addresses it.
 */
import { readFileSync } from 'node:fs';
import type { GatehouseProcess } from './gatehouse-process.js';

export interface AdminConsoleTarget {
  /** `http://…/admin`, as `start` prints it. */
  consoleUrl: string;
  managementUrl: string;
  managementHttpsUrl: string;
  /** The development certificate the HTTPS listener presents. */
  certificateFile: string;
  adminToken: string;
  /** The ARM path of the service the console uses (GET /admin/session names the same). */
  servicePath: string;
}

function printed(gh: GatehouseProcess, pattern: RegExp): string {
  const value = pattern.exec(gh.stdout.join('\n'))?.[1];
  if (!value) throw new Error(`gatehouse start printed no ${pattern}:\n${gh.stdout.join('\n')}`);
  return value;
}

/** Reads the console's target from what `start` printed. */
export function adminConsoleTarget(gh: GatehouseProcess): AdminConsoleTarget {
  return {
    consoleUrl: printed(gh, /admin console: (\S+)/),
    managementUrl: printed(gh, /management API \(http\): (\S+)/),
    managementHttpsUrl: printed(gh, /management API \(https\): (\S+)/),
    certificateFile: printed(gh, /management certificate: (\S+)/),
    adminToken: readFileSync(printed(gh, /admin token file: (\S+)/), 'utf8').trim(),
    servicePath: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/gatehouse/providers/Microsoft.ApiManagement/service/gatehouse',
  };
}
