// Microbenchmark (not a test): ns per evaluation of typical policy expressions, each next to the
// same logic written directly in TypeScript against the gateway's request state (GatewayContext),
// measured in interleaved rounds so both sides see the same machine noise. Prints a markdown
// table of medians and the ratio. Run: `npx tsx bench/expressions-eval.ts` (or
// `npm run bench:expressions`); `--rounds N` and `--iterations N` change the effort.
import { SignJWT } from 'jose';
import { compileExpression, type CompiledExpression } from '../src/expressions/index.js';
import { createLogger } from '../src/core/logger.js';
import type { Api, Operation } from '../src/model/resources.js';
import { evaluateExpressionValue } from '../src/pipeline/expression-runtime.js';
import { GatewayContext, type Forwarder, type OutboundCalls } from '../src/pipeline/gateway-context.js';
import { HeaderMap } from '../src/pipeline/header-map.js';
import { MessageBody } from '../src/pipeline/message-body.js';
import { RequestUrl } from '../src/pipeline/request-url.js';
import { MemoryCounterStore } from '../src/store/memory-counter-store.js';

interface Case {
  name: string;
  expression: string;
  /** The same result computed directly from the request state. */
  direct: (gw: GatewayContext) => unknown;
  /** The expression's value as comparable text (for the equality check before timing). */
  text: (value: unknown) => string;
}

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i === -1 ? NaN : Number(process.argv[i + 1]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const ROUNDS = option('--rounds', 15);
const ITERATIONS = option('--iterations', 20_000);
const REQUESTS = 64;

/** Payload of a JWT, as `AsJwt()` decodes it: without validating the signature. */
function jwtClaim(authorization: string, claim: string): string {
  const token = authorization.replace(/^bearer\s+/i, '');
  const parts = token.split('.');
  if (parts.length !== 3) return '';
  try {
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const v = payload[claim];
    return v === undefined ? '' : Array.isArray(v) ? v.join(',') : String(v);
  } catch {
    return '';
  }
}

const cases: Case[] = [
  {
    name: 'header lookup',
    expression: '@(context.Request.Headers.GetValueOrDefault("X-Client-Id", ""))',
    direct: (gw) => gw.request.headers.get('X-Client-Id') ?? '',
    text: String,
  },
  {
    name: 'JWT claim',
    expression: '@(context.Request.Headers.GetValueOrDefault("Authorization", "").AsJwt()?.Claims.GetValueOrDefault("sub", ""))',
    direct: (gw) => jwtClaim(gw.request.headers.get('Authorization') ?? '', 'sub'),
    text: String,
  },
  {
    name: 'string building',
    expression:
      '@($"{context.Request.Method} {context.Request.Url.Path} from {context.Request.IpAddress} via {context.Api.Name}/{context.Operation.Id} tier={context.Variables.GetValueOrDefault<string>("tier", "free")} id={context.Request.Headers.GetValueOrDefault("X-Client-Id", "-")}")',
    direct: (gw) =>
      `${gw.request.method} ${gw.request.url.path} from ${gw.request.ipAddress} via ${gw.api.displayName}/${gw.operation.name} ` +
      `tier=${(gw.variables.get('tier') as string | undefined) ?? 'free'} id=${gw.request.headers.get('X-Client-Id') ?? '-'}`,
    text: String,
  },
  {
    name: 'LINQ over headers',
    expression: '@(string.Join(",", context.Request.Headers.Where(h => h.Key.StartsWith("X-")).Select(h => h.Key).ToArray()))',
    direct: (gw) => {
      const keys: string[] = [];
      for (const [name] of gw.request.headers) if (name.startsWith('X-')) keys.push(name);
      return keys.join(',');
    },
    text: String,
  },
];

const api: Api = {
  name: 'orders',
  displayName: 'Orders',
  path: 'orders',
  protocols: ['https'],
  subscriptionRequired: false,
  apiRevision: '1',
  isCurrent: true,
  isOnline: true,
  operations: [],
  serviceUrl: 'http://backend.internal:8080/orders',
};
const operation: Operation = { name: 'get-order', displayName: 'Get order', method: 'GET', urlTemplate: '/items/{id}' };
const noForwarding: Forwarder = {
  forward: () => Promise.reject(new Error('the benchmark does not forward')),
};
const noOutboundCalls: OutboundCalls = {
  send: () => Promise.reject(new Error('the benchmark sends no requests')),
};
const services = { counters: new MemoryCounterStore(), clock: { now: () => Date.now() }, forwarder: noForwarding, outbound: noOutboundCalls, circuits: { of: () => undefined }, logger: createLogger('silent') };

/** A request as the gateway holds it after routing: a dozen headers, a bearer token, a variable. */
function request(i: number, token: string): GatewayContext {
  const clientUrl = RequestUrl.parse(`https://gw.example.com/orders/items/${i}?expand=lines&page=${i % 5}`);
  const headers = HeaderMap.fromObject({
    host: 'gw.example.com',
    'User-Agent': 'bench-client/1.0',
    Accept: 'application/json',
    'Accept-Encoding': 'gzip, br',
    Authorization: `Bearer ${token}`,
    'X-Client-Id': `client-${i}`,
    'X-Correlation-Id': `c0ffee00-0000-4000-8000-${String(i).padStart(12, '0')}`,
    'X-Forwarded-For': `10.0.${i % 256}.7`,
    'Content-Type': 'application/json',
    'X-Tenant': i % 2 === 0 ? 'contoso' : 'fabrikam',
    'Cache-Control': 'no-cache',
    Cookie: 'session=abc; theme=dark',
  });
  const backendUrl = RequestUrl.parse(`http://backend.internal:8080/orders/items/${i}?expand=lines&page=${i % 5}`);
  const gw = new GatewayContext(
    {
      method: 'GET',
      originalMethod: 'GET',
      url: backendUrl,
      originalUrl: clientUrl,
      headers,
      body: MessageBody.empty(),
      ipAddress: `192.0.2.${i % 250}`,
      matchedParameters: { id: String(i) },
      privateEndpointConnection: null,
    },
    { api, apiId: api.name, operation, product: null, subscription: null, user: null, backendBase: RequestUrl.parse(api.serviceUrl!) },
    services,
    { serviceName: 'gatehouse', gatewayId: 'managed', backends: new Map() },
  );
  if (i % 3 !== 0) gw.variables.set('tier', i % 3 === 1 ? 'gold' : 'silver');
  return gw;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** ns per call of `fn` over the requests, `iterations` calls in all. */
function time(fn: (gw: GatewayContext) => unknown, requests: GatewayContext[], iterations: number): number {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let k = 0; k < iterations; k++) {
    const v = fn(requests[k % requests.length]!);
    if (v !== null && v !== undefined) sink++;
  }
  const ns = Number(process.hrtime.bigint() - start);
  if (sink !== iterations) throw new Error('a benchmark call returned nothing');
  return ns / iterations;
}

async function main(): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ sub: 'alice@contoso.com', roles: ['Orders.Read'], scp: 'orders.read' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('https://issuer.example/')
    .setAudience('api://orders')
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode('a benchmark secret of 32 bytes!!'));
  const requests = Array.from({ length: REQUESTS }, (_, i) => request(i, token));

  const compiled = new Map<Case, CompiledExpression>();
  for (const c of cases) {
    const expr = compileExpression(c.expression);
    compiled.set(c, expr);
    // Both sides must compute the same thing, or the comparison means nothing.
    for (const gw of requests) {
      const viaExpression = c.text(evaluateExpressionValue(expr, gw, c.name));
      const viaDirect = String(c.direct(gw));
      if (viaExpression !== viaDirect) throw new Error(`${c.name}: expression gives ${JSON.stringify(viaExpression)}, direct ${JSON.stringify(viaDirect)}`);
    }
  }

  const evaluators = cases.map((c) => {
    const expr = compiled.get(c)!;
    return { c, expression: (gw: GatewayContext) => evaluateExpressionValue(expr, gw, c.name), direct: c.direct };
  });
  // Warm-up: let the JIT settle on both sides.
  for (const e of evaluators) {
    time(e.expression, requests, ITERATIONS);
    time(e.direct, requests, ITERATIONS);
  }
  const results = evaluators.map(() => ({ expression: [] as number[], direct: [] as number[] }));
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved: every case, both sides, in every round; the side that goes first alternates.
    evaluators.forEach((e, i) => {
      if (round % 2 === 0) {
        results[i]!.expression.push(time(e.expression, requests, ITERATIONS));
        results[i]!.direct.push(time(e.direct, requests, ITERATIONS));
      } else {
        results[i]!.direct.push(time(e.direct, requests, ITERATIONS));
        results[i]!.expression.push(time(e.expression, requests, ITERATIONS));
      }
    });
  }

  console.log(`Expression evaluation: median ns per evaluation over ${ROUNDS} interleaved rounds × ${ITERATIONS} evaluations (${REQUESTS} distinct requests), node ${process.version}`);
  console.log('');
  console.log('| case | expression (ns) | direct TypeScript (ns) | ratio |');
  console.log('|---|---:|---:|---:|');
  evaluators.forEach((e, i) => {
    const x = median(results[i]!.expression);
    const d = median(results[i]!.direct);
    console.log(`| ${e.c.name} | ${x.toFixed(0)} | ${d.toFixed(0)} | ${(x / d).toFixed(1)}× |`);
  });
  console.log('');
  for (const e of evaluators) console.log(`- ${e.c.name}: \`${e.c.expression}\``);
}

await main();
