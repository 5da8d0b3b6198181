/**
 * Before anything is measured, checks that each arm answers correctly and really does its work:
 * 200 with the exact body length for every size, the inbound header seen by the backend, the
 * outbound header on the response, and a refusal without the key. A misconfigured arm would
 * otherwise be "fast" by answering 401s or skipping its policies.
 */
import { request } from 'undici';
import type { ArmTraffic, ResponseSize } from './types.js';

/** The header a caching arm sets only on answers that went to the backend (a cache hit skips outbound). */
export const freshAnswerHeader = 'x-bench-fresh';

/** Throws with every problem found for `label`'s arm. */
export async function preflight(label: string, arm: ArmTraffic, sizes: readonly ResponseSize[]): Promise<void> {
  const problems: string[] = [];
  for (const size of sizes) {
    const url = arm.baseUrl + arm.pathFor(size);
    const res = await request(url, { headers: arm.headers });
    const body = Buffer.from(await res.body.arrayBuffer());
    if (res.statusCode !== 200) problems.push(`GET ${url} answered ${res.statusCode}: ${body.toString('utf8').slice(0, 300)}`);
    else if (body.length !== size.bytes) problems.push(`GET ${url} returned ${body.length} bytes, expected ${size.bytes}`);
    if (arm.expects.inboundHeader && res.headers['x-bench-saw-inbound'] !== '1') problems.push(`GET ${url}: the backend did not see the inbound header`);
    if (arm.expects.outboundHeader && res.headers['x-bench-outbound'] === undefined) problems.push(`GET ${url}: no outbound header x-bench-outbound on the response`);
  }
  if (arm.expects.servedFromCache) {
    // The loop above filled the cache: a second answer must come from it, complete.
    for (const size of sizes) {
      const url = arm.baseUrl + arm.pathFor(size);
      const res = await request(url, { headers: arm.headers });
      const body = Buffer.from(await res.body.arrayBuffer());
      if (res.statusCode !== 200 || body.length !== size.bytes) problems.push(`GET ${url} (cached) answered ${res.statusCode} with ${body.length} bytes, expected 200 with ${size.bytes}`);
      if (res.headers[freshAnswerHeader] !== undefined) problems.push(`GET ${url}: answered by the backend again, not from the cache`);
    }
  }
  if (arm.expects.keyRequired && sizes.length > 0) {
    const url = arm.baseUrl + arm.pathFor(sizes[0]!);
    const res = await request(url);
    await res.body.dump();
    if (res.statusCode !== 401 && res.statusCode !== 403) problems.push(`GET ${url} without a key answered ${res.statusCode}, expected 401 or 403`);
  }
  if (problems.length > 0) throw new Error(`preflight of ${label} failed:\n  ${problems.join('\n  ')}`);
}
