// Experiment (not a test, not shipped code): is it worth sending the counter calls of one
// event-loop turn to Redis as ONE script call (issue 19 §1, bench/README.md "Counters in Redis")
// instead of one auto-pipelined EVALSHA per call, as RedisCounterStore does today? Interleaved
// rounds in one process against the real Redis (GATEHOUSE_TEST_REDIS_URL or 127.0.0.1:6379):
//   old: the shipped RedisCounterStore, `CALLS_PER_TURN` concurrent rateLimit calls per turn;
//   new: the same calls as one EVALSHA of a script running the shipped rate-limit script body
//        once per call (the body wrapped as a Lua function whose parameters are KEYS and ARGV).
// Both count the same keys under their own prefixes; the last turn's answers are compared.
// Run: `npx tsx bench/redis-batch-ab.ts [--rounds N]`.
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

const batchScript = `
local function rateLimit(KEYS, ARGV)
${rateLimitScript}
end
local replies = {}
local n = #KEYS
for i = 1, n do
  local a = (i - 1) * 6
  replies[i] = rateLimit({ KEYS[i] }, { ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5], ARGV[a + 6] })
end
return replies
`;

const store = new RedisCounterStore(url, { keyPrefix: oldPrefix, commandTimeoutMs: 5000 });
const client = new Redis(url, { maxRetriesPerRequest: 0 }) as Redis & { gatehouseBatch(n: number, ...args: string[]): Promise<Array<[number, string, string]>> };
client.defineCommand('gatehouseBatch', { lua: batchScript });
if (!(await store.whenConnected(3000))) throw new Error(`Redis at ${url} is unreachable`);

type Reply = { allowed: boolean; remaining: number };

async function oldTurn(now: number): Promise<Reply[]> {
  const calls = Array.from({ length: CALLS_PER_TURN }, (_, i) => store.rateLimit(`k${i % KEYS}`, LIMIT, WINDOW, 1, now));
  return (await Promise.all(calls)).map((r) => ({ allowed: r.allowed, remaining: r.remaining }));
}

async function newTurn(now: number): Promise<Reply[]> {
  const keys: string[] = [];
  const args: string[] = [];
  for (let i = 0; i < CALLS_PER_TURN; i++) {
    keys.push(`${newPrefix}rl:k${i % KEYS}`);
    args.push(String(LIMIT), String(WINDOW), '1', String(now), '60000', 'count');
  }
  const replies = await client.gatehouseBatch(keys.length, ...keys, ...args);
  return replies.map((r) => ({ allowed: r[0] === 1, remaining: Number(r[1]) }));
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
console.log(`  new (one script call per turn)             : ${fmt(after)} per call`);
console.log(`  new / old (ratio of medians): ${(median(after) / median(before)).toFixed(3)}; last turn's answers equal: ${same}`);
const cleanup = Array.from({ length: KEYS }, (_, i) => [`${oldPrefix}rl:k${i}`, `${newPrefix}rl:k${i}`]).flat();
await client.del(...cleanup);
client.disconnect();
await store.close();
if (!same) process.exitCode = 1;
