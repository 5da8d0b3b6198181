// Microbenchmark (not a test): ns per RouteTable.match for 1 API versus 10,000 APIs, side by side
// in one run so the ratio is meaningful on a noisy machine. Run: `npx tsx bench/routing-lookup.ts`.
import { RouteTable } from '../src/gateway/routing/index.js';
import type { RouteRequest } from '../src/gateway/routing/index.js';
import type { Api, Operation } from '../src/model/resources.js';

const OPERATIONS = ['GET /items', 'POST /items', 'GET /items/{id}', 'PUT /items/{id}', 'DELETE /items/{id}',
  'PATCH /items/{id}/flag', 'GET /items/{id}/sub/{sub}', 'GET /files/{*path}', 'GET /search?q={q}', 'GET /status'];

function makeApi(i: number): Api {
  const operations: Operation[] = OPERATIONS.map((spec, k) => {
    const [method, urlTemplate] = spec.split(' ') as [string, string];
    return { name: `op-${i}-${k}`, displayName: spec, method, urlTemplate };
  });
  return {
    name: `api-${i}`, displayName: `API ${i}`, path: i % 2 === 0 ? `svc${i}` : `group${i % 100}/svc${i}`,
    protocols: ['https'], subscriptionRequired: false, apiRevision: '1', isCurrent: true, isOnline: true, operations,
  };
}

function requestFor(api: Api, k: number): RouteRequest {
  const paths = ['/items/42', '/items/42/sub/7', '/files/a/b/c', '/status'];
  const path = `/${api.path}${paths[k % paths.length]}`;
  return { method: 'GET', path, query: [['x', '1']], header: () => undefined, scheme: 'https' };
}

function measure(table: RouteTable, requests: RouteRequest[], rounds: number): number {
  let matched = 0;
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    for (const req of requests) if (table.match(req).matched) matched++;
  }
  const ns = Number(process.hrtime.bigint() - start);
  if (matched !== rounds * requests.length) throw new Error('benchmark requests did not all match');
  return ns / (rounds * requests.length);
}

const small = [makeApi(1)];
const large = Array.from({ length: 10_000 }, (_, i) => makeApi(i));
const buildStart = process.hrtime.bigint();
const largeTable = RouteTable.build(large, []);
const buildMs = Number(process.hrtime.bigint() - buildStart) / 1e6;
const smallTable = RouteTable.build(small, []);

// Same request shapes for both; the large table's requests are spread over all its APIs.
const smallRequests = Array.from({ length: 1000 }, (_, k) => requestFor(small[0]!, k));
const largeRequests = Array.from({ length: 1000 }, (_, k) => requestFor(large[(k * 7919) % large.length]!, k));
// The large table asked about one API only: separates the algorithm's cost from cache misses.
const largeHotRequests = Array.from({ length: 1000 }, (_, k) => requestFor(large[1]!, k));

const rounds = 200;
measure(smallTable, smallRequests, 20); // warm-up
measure(largeTable, largeRequests, 20);
measure(largeTable, largeHotRequests, 20);
const results = { small: [] as number[], large: [] as number[], hot: [] as number[] };
for (let trial = 0; trial < 5; trial++) {
  // Interleaved so both sides see the same machine noise.
  results.small.push(measure(smallTable, smallRequests, rounds));
  results.large.push(measure(largeTable, largeRequests, rounds));
  results.hot.push(measure(largeTable, largeHotRequests, rounds));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = median(results.small);
const l = median(results.large);
const h = median(results.hot);
console.log(`routing lookup (median of 5 trials × ${rounds * 1000} lookups)`);
console.log(`  1 API       : ${s.toFixed(0)} ns/lookup`);
console.log(`  10,000 APIs : ${l.toFixed(0)} ns/lookup   (build ${buildMs.toFixed(0)} ms for 100,000 operations)`);
console.log(`  10,000 APIs, all requests to one API : ${h.toFixed(0)} ns/lookup`);
console.log(`  ratio 10,000/1 : ${(l / s).toFixed(2)} (spread over all APIs), ${(h / s).toFixed(2)} (same API)`);
