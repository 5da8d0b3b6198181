// Microbenchmark (not a test): the Redis counter calls of one event-loop turn sent as ONE script
// call (RedisCounterStore now, batchScript) against one auto-pipelined EVALSHA of the single-call
// script per call (the store before, reproduced here with the same scripts and client options).
// Interleaved rounds in one process against the real Redis (GATEHOUSE_TEST_REDIS_URL or
// 127.0.0.1:6379); both count the same keys under their own prefixes and the last turn's answers
// are compared. Run: `npx tsx bench/redis-batch-ab.ts [--rounds N]`.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisCounterStore } from '../src/store/redis-counter-store.js';
import { rateLimitScript } from '../src/store/redis-counter-scripts.js';
import { median, range } from './harness/stats.js';

const url = process.env.GATEHOUSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg === -1 ? 9 : Math.max(3, Number(process.argv[roundsArg + 1]) || 9);
const CALLS_PER_TURN = 64;
const TURNS_PER_ROUND = 200;
const KEYS = 8;
const LIMIT = 1e12;
const WINDOW = 60_000;
const run = randomUUID();
const oldPrefix = `gatehouse:bench-${run}:old:`;
const newPrefix = `gatehouse:bench-${run}:new:`;

const store = new RedisCounterStore(url, { keyPrefix: newPrefix, commandTimeoutMs: 5000 });
const client = new Redis(url, { maxRetriesPerRequest: 0, enableAutoPipelining: true, enableOfflineQueue: false }) as Redis & {
  gatehouseRateLimit(key: string, ...args: string[]): Promise<[number, string, string]>;
};
client.defineCommand('gatehouseRateLimit', { numberOfKeys: 1, lua: rateLimitScript });
if (!(await store.whenConnected(3000))) throw new Error(`Redis at ${url} is unreachable`);
// Its offline queue is off (as the store's): wait until it is ready before the first command.
if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));

type Reply = { allowed: boolean; remaining: number };

async function oldTurn(now: number): Promise<Reply[]> {
  const calls = Array.from({ length: CALLS_PER_TURN }, (_, i) =>
    client.gatehouseRateLimit(`${oldPrefix}rl:k${i % KEYS}`, String(LIMIT), String(WINDOW), '1', String(now), '60000', 'count'));
  return (await Promise.all(calls)).map((r) => ({ allowed: r[0] === 1, remaining: Number(r[1]) }));
}

async function newTurn(now: number): Promise<Reply[]> {
  const calls = Array.from({ length: CALLS_PER_TURN }, (_, i) => store.rateLimit(`k${i % KEYS}`, LIMIT, WINDOW, 1, now));
  return (await Promise.all(calls)).map((r) => ({ allowed: r.allowed, remaining: r.remaining }));
}

let clock = Date.now();
async function measure(turn: (now: number) => Promise<Reply[]>): Promise<{ ns: number; last: Reply[] }> {
  let last: Reply[] = [];
  const start = process.hrtime.bigint();
  for (let t = 0; t < TURNS_PER_ROUND; t++) last = await turn(clock + t);
  return { ns: Number(process.hrtime.bigint() - start) / (TURNS_PER_ROUND * CALLS_PER_TURN), last };
}

const before: number[] = [];
const after: number[] = [];
await measure(oldTurn);
await measure(newTurn); // warm-up, same number of calls on both sides
let lastOld: Reply[] = [];
let lastNew: Reply[] = [];
for (let r = 0; r < rounds; r++) {
  clock += TURNS_PER_ROUND;
  const first = r % 2 === 0 ? oldTurn : newTurn;
  const a = await measure(first);
  const b = await measure(first === oldTurn ? newTurn : oldTurn);
  const [o, n] = first === oldTurn ? [a, b] : [b, a];
  before.push(o.ns);
  after.push(n.ns);
  lastOld = o.last;
  lastNew = n.last;
}
const same = JSON.stringify(lastOld) === JSON.stringify(lastNew);
const fmt = (xs: number[]) => `${median(xs).toFixed(0)} ns (${range(xs).map((x) => x.toFixed(0)).join('–')})`;
console.log(`Redis rate-limit calls, ${rounds} interleaved rounds × ${TURNS_PER_ROUND} turns × ${CALLS_PER_TURN} calls on ${KEYS} keys`);
console.log(`  old (one EVALSHA per call, auto-pipelined) : ${fmt(before)} per call`);
console.log(`  new (one script call per turn, the store)  : ${fmt(after)} per call`);
console.log(`  new / old (ratio of medians): ${(median(after) / median(before)).toFixed(3)}; last turn's answers equal: ${same}`);
const cleanup = Array.from({ length: KEYS }, (_, i) => [`${oldPrefix}rl:k${i}`, `${newPrefix}rl:k${i}`]).flat();
await client.del(...cleanup);
client.disconnect();
await store.close();
if (!same) process.exitCode = 1;
