// Microbenchmark (not a test): the subscription decision per request, old path (the index hashes
// the key and looks the digest up every time) against new (connection-key-memo.ts remembers the
// answer per socket), interleaved in one process so both see the same machine noise; prints the
// ratio of medians. Run: `npx tsx bench/key-memo-ab.ts [--rounds N]`.
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Api, Product, Subscription } from '../src/model/resources.js';
import { authorizeOnConnection } from '../src/gateway/subscriptions/connection-key-memo.js';
import { SubscriptionIndex } from '../src/gateway/subscriptions/subscription-index.js';
import { TYPICAL_KEY } from './arms/typical-set.js';
import { median, range } from './harness/stats.js';

const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg === -1 ? 15 : Math.max(3, Number(process.argv[roundsArg + 1]) || 15);
const CONNECTIONS = 64;
const CALLS_PER_ROUND = 200_000;

const api: Api = {
  name: 'bench', displayName: 'bench', path: 'bench', protocols: ['http'], subscriptionRequired: true,
  apiRevision: '1', isCurrent: true, isOnline: true, operations: [],
};
const product: Product = { name: 'typical', displayName: 'typical', subscriptionRequired: true, state: 'published', apis: ['bench'], groups: [] };
// The typical arm's product-scoped key among 10,000 others, so the index is not trivially small.
const subscriptions: Subscription[] = [
  { name: 'typical', displayName: 'typical', scope: '/products/typical', state: 'active', primaryKey: TYPICAL_KEY, secondaryKey: `${TYPICAL_KEY}-2` },
  ...Array.from({ length: 10_000 }, (_, i): Subscription => ({
    name: `s${i}`, displayName: `s${i}`, scope: '/apis/bench', state: 'active', primaryKey: `key-${i}-0123456789abcdef`, secondaryKey: `key-${i}-secondary`,
  })),
];
const index = SubscriptionIndex.build({ subscriptions, products: [product], users: [] });

// Real loopback sockets, visited in turn as keep-alive connections of a busy gateway would be.
const server = createServer((s) => s.on('error', () => {}));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
const sockets: Socket[] = await Promise.all(
  Array.from({ length: CONNECTIONS }, () => new Promise<Socket>((resolve) => { const s = connect(port, '127.0.0.1', () => resolve(s)); })),
);
// Keys as the HTTP parser hands them over: a fresh string per request, not one interned constant.
const keys = Array.from({ length: CONNECTIONS }, () => Buffer.from(TYPICAL_KEY).toString('latin1'));

function oldPath(): number {
  let granted = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS_PER_ROUND; i++) if (index.authorize(api, keys[i % CONNECTIONS]).granted) granted++;
  const ns = Number(process.hrtime.bigint() - start);
  if (granted !== CALLS_PER_ROUND) throw new Error('the old path refused the typical key');
  return ns / CALLS_PER_ROUND;
}

function newPath(): number {
  let granted = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS_PER_ROUND; i++) {
    const c = i % CONNECTIONS;
    if (authorizeOnConnection(sockets[c]!, index, api, keys[c]).granted) granted++;
  }
  const ns = Number(process.hrtime.bigint() - start);
  if (granted !== CALLS_PER_ROUND) throw new Error('the new path refused the typical key');
  return ns / CALLS_PER_ROUND;
}

oldPath(); newPath(); // warm-up
const before: number[] = [];
const after: number[] = [];
for (let r = 0; r < rounds; r++) {
  // Alternating which goes first, so neither always runs on a warmer or colder machine.
  if (r % 2 === 0) { before.push(oldPath()); after.push(newPath()); } else { after.push(newPath()); before.push(oldPath()); }
}
const fmt = (xs: number[]) => `${median(xs).toFixed(0)} ns (${range(xs).map((x) => x.toFixed(0)).join('–')})`;
console.log(`subscription decision per request, ${rounds} interleaved rounds × ${CALLS_PER_ROUND} calls over ${CONNECTIONS} connections`);
console.log(`  old (hash + index lookup) : ${fmt(before)}`);
console.log(`  new (per-connection memo) : ${fmt(after)}`);
console.log(`  new / old (ratio of medians): ${(median(after) / median(before)).toFixed(3)}; saved ${(median(before) - median(after)).toFixed(0)} ns per request`);
for (const s of sockets) s.destroy();
server.close();
