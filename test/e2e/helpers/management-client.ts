/** A client of the management API of a running `gatehouse start`, from the URL and token file it prints. */
import { readFileSync } from 'node:fs';
import type { GatehouseProcess } from './gatehouse-process.js';

const defaultService = '/subscriptions/sub-e2e/resourceGroups/rg-e2e/providers/Microsoft.ApiManagement/service/gatehouse';

export interface ManagementAnswer {
  status: number;
  /** The parsed JSON body (undefined when empty). */
  body: any;
  text: string;
}

/** `call(method, path below the service, body?, headers?)` with the admin token, api-version 2024-05-01. */
export function managementClient(gh: GatehouseProcess, service = defaultService): (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<ManagementAnswer> {
  const out = gh.stdout.join('\n');
  const url = /management API \(http\): (\S+)/.exec(out)?.[1];
  const tokenFile = /admin token file: (\S+)/.exec(out)?.[1];
  if (!url || !tokenFile) throw new Error(`gatehouse start printed no management URL or token file:\n${out}`);
  const token = readFileSync(tokenFile, 'utf8').trim();
  return async (method, path, body, headers = {}) => {
    const res = await fetch(`${url}${service}/${path}${path.includes('?') ? '&' : '?'}api-version=2024-05-01`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
  };
}
