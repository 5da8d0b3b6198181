/**
 * The circuit-breaker gauges of `/metrics` across `gatehouse start --workers 2` (built dist/,
 * real sockets): each worker keeps its own breaker (as each Azure gateway instance does); once a
 * failing backend tripped both, the primary's `/metrics` counts the breaker open in 2 processes,
 * with the latest time one closes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { waitFor } from './helpers/wait-for.js';
import { startCountingBackend, type CountingBackend } from '../helpers/counting-backend.js';

const token = 'circuit-metrics-e2e-admin-token-7';
const service = '/subscriptions/s/resourceGroups/r/providers/Microsoft.ApiManagement/service/gatehouse';

/** A GET on a connection of its own, so the primary hands it to the next worker. */
function getOnNewConnection(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    }).once('error', reject);
  });
}

describe('circuit-breaker gauges with --workers 2', () => {
  let gh: GatehouseProcess;
  let failing: CountingBackend;
  let management: string;
  const manage = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${management}${service}${path}?api-version=2024-05-01`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    assert.ok(res.status === 200 || res.status === 201, `${method} ${path}: ${res.status} ${text}`);
  };
  const scrape = async () => {
    const res = await fetch(`${management}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    return res.text();
  };

  before(async () => {
    failing = await startCountingBackend('failing');
    failing.status = 500;
    gh = await startGatehouseProcess(['--admin-token', token, '--workers', '2']);
    management = /management API \(http\): (\S+)/.exec(gh.stdout.join('\n'))![1]!;
  });
  after(async () => {
    await gh?.stop();
    await failing?.close();
  });

  it('counts the processes whose breaker is open and gives the latest closing time', async () => {
    await manage('PUT', '/backends/failing', {
      properties: {
        url: failing.url,
        protocol: 'http',
        circuitBreaker: { rules: [{ name: 'one-failure', failureCondition: { count: 1, interval: 'PT1M', statusCodeRanges: [{ min: 500, max: 599 }] }, tripDuration: 'PT1H' }] },
      },
    });
    await manage('PUT', '/apis/failing', { properties: { displayName: 'Failing', path: 'failing', protocols: ['http'], subscriptionRequired: false } });
    await manage('PUT', '/apis/failing/operations/get', { properties: { displayName: 'Get', method: 'GET', urlTemplate: '/' } });
    await manage('PUT', '/apis/failing/policies/policy', {
      properties: { format: 'rawxml', value: '<policies><inbound><base /><set-backend-service backend-id="failing" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>' },
    });
    const before = Date.now();
    // One failure trips a worker's breaker; calls on new connections go round the workers.
    await waitFor('both workers to trip their breaker', async () => {
      await getOnNewConnection(`${gh.gatewayUrl}/failing/`);
      return /^gatehouse_backend_circuit_open\{backend="failing",rule="one-failure"\} 2$/m.test(await scrape());
    }, gh, 30_000);
    assert.equal(failing.calls, 2, 'each worker called the backend once, then answered 503 itself');
    const until = /^gatehouse_backend_circuit_open_until_seconds\{backend="failing",rule="one-failure"\} (\S+)$/m.exec(await scrape());
    assert.ok(until, 'no open-until gauge');
    const closesAt = Number(until[1]) * 1000;
    const hour = 60 * 60_000;
    assert.ok(closesAt >= before + hour - 1_000 && closesAt <= Date.now() + hour, `closes at ${new Date(closesAt).toISOString()}`);
  });
});
