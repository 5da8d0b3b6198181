/**
 * emit-metric and trace through the real CLI (`gatehouse start`, built dist/): a logger, an
 * applicationinsights diagnostic with `metrics: true` and `verbosity: error`, and an API policy
 * written through the management API of the running process; the gateway takes them live, its
 * requests count the custom metric on the management port's `/metrics` (also summed over
 * `--workers 2`), and only the error trace reaches the process log.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { waitFor } from './helpers/wait-for.js';

const token = 'policy-telemetry-e2e-admin-token-7';
const service = '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.ApiManagement/service/gatehouse';
const policy = `<policies><inbound><base />
  <emit-metric name="Echo Calls" value="2" namespace="e2e"><dimension name="API ID" /><dimension name="Caller" value="@(context.Request.Headers.GetValueOrDefault(&quot;x-caller&quot;, &quot;anon&quot;))" /></emit-metric>
  <trace source="e2e" severity="information"><message>not admitted</message></trace>
  <trace source="e2e" severity="error"><message>@("admitted " + context.Request.Method)</message></trace>
</inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;

function printed(gh: GatehouseProcess, pattern: RegExp): string {
  const m = pattern.exec(gh.stdout.join('\n'));
  assert.ok(m, `no line matching ${pattern} in:\n${gh.stdout.join('\n')}`);
  return m[1]!;
}

async function manage(gh: GatehouseProcess, path: string, properties: Record<string, unknown>): Promise<void> {
  const url = `${printed(gh, /management API \(http\): (\S+)/)}${service}/${path}?api-version=2024-05-01`;
  const res = await fetch(url, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ properties }) });
  assert.ok(res.status === 200 || res.status === 201, `${path}: ${res.status} ${await res.text()}`);
}

async function scrape(gh: GatehouseProcess): Promise<string> {
  const res = await fetch(`${printed(gh, /management API \(http\): (\S+)/)}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  return res.text();
}

/** Writes the logger, diagnostic and policy, then sends requests until the policy runs (the reload is live, not instant). */
async function configureAndCall(gh: GatehouseProcess, calls: number): Promise<void> {
  await manage(gh, 'loggers/ai', { loggerType: 'applicationInsights', credentials: { instrumentationKey: 'e2e' } });
  await manage(gh, 'diagnostics/applicationinsights', { loggerId: '/loggers/ai', verbosity: 'error', metrics: true });
  await manage(gh, 'apis/echo-api/policies/policy', { format: 'rawxml', value: policy });
  const key = printed(gh, /sample subscription key \(product 'starter'\): (\S+)/);
  const call = async () => {
    const res = await fetch(`${gh.gatewayUrl}/echo/resource`, { headers: { 'Ocp-Apim-Subscription-Key': key, 'x-caller': 'ci', connection: 'close' } });
    await res.arrayBuffer();
    assert.equal(res.status, 200);
  };
  await waitFor('the policy to run', async () => {
    await call();
    return /^gatehouse_custom_echo_calls_total\{/m.test(await scrape(gh));
  }, gh, 30_000);
  // From here every request runs the policy: the count is known exactly.
  const before = counted(await scrape(gh));
  for (let i = 0; i < calls; i++) await call();
  await waitFor('the calls to be counted', async () => counted(await scrape(gh)) === before + 2 * calls, gh);
}

function counted(metrics: string): number {
  const m = /^gatehouse_custom_echo_calls_total\{namespace="e2e",api_id="echo-api",caller="ci"\} (\S+)$/m.exec(metrics);
  return m ? Number(m[1]) : 0;
}

describe('gatehouse start: emit-metric on /metrics and trace in the log', () => {
  let gh: GatehouseProcess;
  before(async () => {
    gh = await startGatehouseProcess(['--admin-token', token, '--log-level', 'info', '--log-format', 'json']);
  });
  after(() => gh?.stop());

  it('counts the metric with its dimensions and logs only the traces the verbosity admits', async () => {
    await configureAndCall(gh, 3);
    const metrics = await scrape(gh);
    assert.match(metrics, /^# TYPE gatehouse_custom_echo_calls_total counter$/m);
    const logged = gh.stderr.join('').split('\n').filter((l) => l.includes('"msg":"gateway trace"')).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(logged.length >= 4, gh.stderr.join(''));
    assert.ok(logged.every((l) => l.severity === 'error' && l.message === 'admitted GET' && l.source === 'e2e' && l.diagnostic === 'applicationinsights'), JSON.stringify(logged));
  });
});

describe('gatehouse start --workers 2: emit-metric summed over the workers', () => {
  let gh: GatehouseProcess;
  before(async () => {
    gh = await startGatehouseProcess(['--admin-token', token, '--workers', '2']);
  });
  after(() => gh?.stop());

  it("adds up the workers' counts on the primary's /metrics", async () => {
    await configureAndCall(gh, 6);
  });
});
