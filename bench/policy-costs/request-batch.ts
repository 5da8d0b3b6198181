/**
 * Sends one batch of identical requests to the in-process gateway, a few in flight at once, and
 * measures what the batch cost this process: CPU (user + system, all threads) and wall time per
 * request. The client, the gateway and the loopback backend share the process, so a difference
 * between two batches that differ only in the API's policy is that policy's cost.
 */
import type { Pool } from 'undici';
import type { CostRequest } from './policy-cost-cases.js';

export interface BatchCost {
  cpuNsPerRequest: number;
  wallNsPerRequest: number;
  /** Answers whose status was not the expected one, and failed requests. */
  errors: number;
}

export interface BatchTarget {
  pool: Pool;
  path: string;
  request: CostRequest;
  headers: Record<string, string>;
  status: number;
}

/** One request; resolves with its status and body text. */
export async function sendOnce(target: BatchTarget): Promise<{ status: number; body: string }> {
  const { request } = target;
  const res = await target.pool.request({
    method: request.method,
    path: request.query ? `${target.path}?${request.query}` : target.path,
    headers: target.headers,
    body: request.body ?? undefined,
  });
  return { status: res.statusCode, body: await res.body.text() };
}

export async function runBatch(target: BatchTarget, count: number, inFlight: number): Promise<BatchCost> {
  let next = 0;
  let errors = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      try {
        const { status } = await sendOnce(target);
        if (status !== target.status) errors++;
      } catch {
        errors++;
      }
    }
  };
  const cpuBefore = process.cpuUsage();
  const wallBefore = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
  const wall = Number(process.hrtime.bigint() - wallBefore);
  const cpu = process.cpuUsage(cpuBefore);
  return { cpuNsPerRequest: ((cpu.user + cpu.system) * 1000) / count, wallNsPerRequest: wall / count, errors };
}
