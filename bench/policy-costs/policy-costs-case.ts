/**
 * `policy-costs` (issue 19 §3): nanoseconds per request of each policy in its common
 * configuration. A real gateway runtime (startGatewayRuntime: listener, request handler,
 * forwarder) runs in this process with one API per row of policy-cost-cases.ts and the empty
 * API; the loopback backend runs here too. Each row is measured side by side with the empty
 * pipeline on the identical request, in interleaved rounds (the order of the pair alternates
 * per round), and its cost is the median over rounds of (row − empty) CPU nanoseconds per
 * request; the wall-clock difference is shown beside it. Every row is checked first: both
 * sides must answer the expected status.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { Registry } from 'prom-client';
import { Pool } from 'undici';
import { createLogger } from '../../src/core/logger.js';
import { startGatewayRuntime } from '../../src/main/gateway-runtime.js';
import { policyRegistry } from '../../src/policies/index.js';
import { median, range } from '../harness/stats.js';
import type { BenchCase, CaseContext, CaseReport, DetailTable } from '../harness/types.js';
import { startChatLoopbackServer, type ChatLoopbackServer } from './chat-loopback-servers.js';
import { policyCostRows, UNMEASURED_POLICIES, type CostEnvironment, type PolicyCostRow } from './policy-cost-cases.js';
import { apiPathOf, EMPTY_API, EMPTY_KEYED_API, policyCostConfig, productKey } from './policy-cost-config.js';
import { runBatch, sendOnce, type BatchTarget } from './request-batch.js';

export const POLICY_COSTS_CASE_ID = 'policy-costs';
export const POLICY_COSTS_TABLE = 'Policy costs';
export const UNMEASURED_TABLE = 'Policies without a cost figure';
const IN_FLIGHT = 8;

function positiveEnv(name: string): number | null {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : null;
}

async function costEnvironment(backendUrl: string, sideUrl: string): Promise<CostEnvironment> {
  const key = randomBytes(32);
  const jwt = await new SignJWT({ sub: 'bench' }).setProtectedHeader({ alg: 'HS256' }).setAudience('bench').setIssuedAt().setExpirationTime('2h').sign(key);
  return { backendUrl, sideUrl, jwt, jwtKeyBase64: key.toString('base64') };
}

interface RowPair {
  row: PolicyCostRow;
  empty: BatchTarget;
  policy: BatchTarget;
}

function pairOf(pool: Pool, row: PolicyCostRow): RowPair {
  const target = (api: string, product: string): BatchTarget => ({
    pool,
    path: `/${apiPathOf(api)}/chat/completions`,
    request: row.request,
    headers: row.keyed ? { ...row.request.headers, 'ocp-apim-subscription-key': productKey(product) } : row.request.headers,
    status: row.status ?? 200,
  });
  return { row, empty: target(row.keyed ? EMPTY_KEYED_API : EMPTY_API, EMPTY_API), policy: target(`cost-${row.id}`, `cost-${row.id}`) };
}

/**
 * Both sides of every row answer as expected and call the backend once per request (the row's
 * side none, once warm, when it says it answers without the backend), or the case stops with
 * what was seen.
 */
async function checkRows(pairs: readonly RowPair[], server: ChatLoopbackServer): Promise<void> {
  for (const { row, empty, policy } of pairs) {
    for (const [side, target] of [['empty', empty], [row.id, policy]] as const) {
      await sendOnce(target); // a cache-lookup row fills its cache here
      const before = server.chatCalls;
      const { status, body } = await sendOnce(target);
      if (status !== target.status) throw new Error(`policy-costs: ${side} (row ${row.id}) answered ${status}, expected ${target.status}: ${body.slice(0, 300)}`);
      const expected = side !== 'empty' && row.answersWithoutBackend ? 0 : 1;
      const calls = server.chatCalls - before;
      if (calls !== expected) throw new Error(`policy-costs: ${side} (row ${row.id}) called the backend ${calls} time(s) for one request, expected ${expected}`);
    }
  }
}

const ns = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const withRange = (values: number[]): string => (values.length > 1 ? `${ns(median(values))} (${ns(range(values)[0])} to ${ns(range(values)[1])})` : ns(median(values)));

export const policyCostsCase: BenchCase = {
  id: POLICY_COSTS_CASE_ID,
  label: 'Cost of each policy, in process',
  async run(ctx: CaseContext): Promise<CaseReport> {
    const rounds = ctx.options.quick ? ctx.options.rounds : Math.max(ctx.options.rounds, 5);
    const perBatch = positiveEnv('BENCH_POLICY_REQUESTS') ?? (ctx.options.quick ? 100 : 1000);
    const server = await startChatLoopbackServer();
    const env = await costEnvironment(server.url, server.sideUrl);
    const rows = policyCostRows(env);
    const runtime = await startGatewayRuntime(policyCostConfig(rows, server.url), { host: '127.0.0.1', httpPort: 0, httpsPort: null, certificates: [] }, createLogger('error'), {
      metricsRegistry: new Registry(),
    });
    const pool = new Pool(runtime.listeners[0]!.url, { connections: IN_FLIGHT });
    const cpu = new Map<string, { empty: number[]; policy: number[]; diff: number[]; wallDiff: number[]; errors: number }>();
    try {
      const pairs = rows.map((row) => pairOf(pool, row));
      await checkRows(pairs, server);
      ctx.log(`policy-costs: ${pairs.length} rows answer; warming up`);
      for (const p of pairs) {
        await runBatch(p.empty, Math.ceil(perBatch / 4), IN_FLIGHT);
        await runBatch(p.policy, Math.ceil(perBatch / 4), IN_FLIGHT);
      }
      for (let round = 1; round <= rounds; round++) {
        ctx.log(`policy-costs: round ${round}/${rounds}, ${perBatch} requests per side`);
        for (const p of pairs) {
          // Alternate which side goes first, so a drift within the pair hits both alike.
          const emptyFirst = round % 2 === 1;
          const a = await runBatch(emptyFirst ? p.empty : p.policy, perBatch, IN_FLIGHT);
          const b = await runBatch(emptyFirst ? p.policy : p.empty, perBatch, IN_FLIGHT);
          const [empty, policy] = emptyFirst ? [a, b] : [b, a];
          const errors = empty.errors + policy.errors;
          for (const [arm, cost] of [[`empty:${p.row.id}`, empty], [p.row.id, policy]] as const) {
            ctx.record({ case: POLICY_COSTS_CASE_ID, arm, size: '', round, metric: 'cpu_ns_per_request', value: cost.cpuNsPerRequest, errors: cost.errors });
            ctx.record({ case: POLICY_COSTS_CASE_ID, arm, size: '', round, metric: 'wall_ns_per_request', value: cost.wallNsPerRequest, errors: cost.errors });
          }
          const entry = cpu.get(p.row.id) ?? { empty: [], policy: [], diff: [], wallDiff: [], errors: 0 };
          entry.empty.push(empty.cpuNsPerRequest);
          entry.policy.push(policy.cpuNsPerRequest);
          entry.diff.push(policy.cpuNsPerRequest - empty.cpuNsPerRequest);
          entry.wallDiff.push(policy.wallNsPerRequest - empty.wallNsPerRequest);
          entry.errors += errors;
          cpu.set(p.row.id, entry);
        }
      }
    } finally {
      await pool.close();
      await runtime.close();
      await server.close();
    }
    const table: DetailTable = {
      title: `${POLICY_COSTS_TABLE} (CPU ns per request, ${rounds} interleaved rounds of ${perBatch} requests per side, ${IN_FLIGHT} in flight)`,
      header: ['row', 'policies', 'configuration', 'empty pipeline', 'with the policy', 'policy cost (CPU ns)', 'policy cost (wall ns)', 'failed'],
      rows: rows.map((row) => {
        const e = cpu.get(row.id)!;
        return [row.id, row.policies.join(', '), row.configuration, ns(median(e.empty)), ns(median(e.policy)), withRange(e.diff), ns(median(e.wallDiff)), String(e.errors)];
      }),
      notes: [
        'policy cost = median over rounds of (with the policy − empty pipeline), each round measuring the pair on the identical request; the range is the min to max of the per-round differences.',
        'CPU is this whole process (client, gateway and loopback backend share it), so the difference is what the policy adds; wall time is shown for reference and suffers more from other work on the machine.',
      ],
    };
    const measured = new Set(rows.flatMap((r) => r.policies));
    const unmeasured: DetailTable = {
      title: UNMEASURED_TABLE,
      header: ['policy', 'reason'],
      rows: [...policyRegistry.keys()].filter((name) => !measured.has(name)).map((name) => [name, UNMEASURED_POLICIES[name] ?? 'NO FIGURE AND NO REASON']),
    };
    return { figures: [], tables: [table, unmeasured] };
  },
};
