/**
 * `gatehouse start` as a real process, set up the way the Azure SDK tests need it: HTTPS
 * management API on port 0, its own data folder, and what the SDK needs read from what the
 * process prints (URL, certificate file, admin token). `seed` may fill the data folder first.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatehouseProcess } from './gatehouse-process.js';

/** A running Gatehouse as the SDK tests need it. */
export interface SdkTarget {
  managementUrl: string;
  caFile: string;
  adminToken: string;
  serviceName: string;
  /** The gateway's HTTP URL. */
  gatewayUrl: string;
  close(): Promise<void>;
}

/** Starts `gatehouse start` over a fresh data folder; `seed` runs on the folder before the start. */
export async function startSdkTarget(options: { seed?: (dataDir: string) => Promise<void> } = {}): Promise<SdkTarget> {
  const data = mkdtempSync(join(tmpdir(), 'gatehouse-sdk-cli-'));
  try {
    await options.seed?.(data);
  } catch (err) {
    rmSync(data, { recursive: true, force: true });
    throw err;
  }
  const proc = await startGatehouseProcess(['--data', data, '--host', '127.0.0.1', '--management-port', '0', '--management-https-port', '0']);
  const printed = (pattern: RegExp): string => {
    for (const line of proc.stdout) {
      const m = pattern.exec(line);
      if (m) return m[1]!;
    }
    throw new Error(`gatehouse start printed no line matching ${pattern}:\n${proc.stdout.join('\n')}`);
  };
  try {
    const tokenFile = printed(/admin token file: (\S+)/);
    return {
      managementUrl: printed(/management API \(https\): (\S+)/),
      caFile: printed(/management certificate: (\S+)/),
      adminToken: readFileSync(tokenFile, 'utf8').trim(),
      serviceName: 'gatehouse',
      gatewayUrl: proc.gatewayUrl,
      async close() {
        await proc.stop();
        rmSync(data, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await proc.stop();
    throw err;
  }
}
