/**
 * The request handler asks the subscription index once per keep-alive connection and key
 * (connection-key-memo.ts), and asks the new index as soon as a new snapshot is served: an
 * in-process gateway on loopback, the sample configuration, a real backend.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createLogger } from '../../src/core/logger.js';
import { systemClock } from '../../src/core/ports.js';
import { BackendForwarder } from '../../src/gateway/backend-forwarder.js';
import { CircuitBreakers } from '../../src/gateway/circuit-breaker.js';
import { createRequestHandler } from '../../src/gateway/request-handler.js';
import { buildSnapshot } from '../../src/gateway/snapshot/build-snapshot.js';
import type { GatewaySnapshot } from '../../src/gateway/snapshot/gateway-snapshot.js';
import { SnapshotHolder } from '../../src/gateway/snapshot/snapshot-holder.js';
import { sampleConfig } from '../../src/main/sample/sample-config.js';
import type { ServiceConfig } from '../../src/model/resources.js';
import { policyRegistry } from '../../src/policies/index.js';
import { MemoryCounterStore } from '../../src/store/memory-counter-store.js';
import { builtInCachesOnly } from '../../src/store/memory-cache-store.js';

const key = 'memo-test-key-0123456789abcdef';

/** Counts the calls to the snapshot's index; answers are still the index's own. */
function countAuthorize(snapshot: GatewaySnapshot): () => number {
  const index = snapshot.subscriptions;
  let calls = 0;
  const counted: Pick<typeof index, 'authorize'> = {
    authorize: (api, sent) => {
      calls++;
      return index.authorize(api, sent);
    },
  };
  Object.defineProperty(snapshot, 'subscriptions', { value: counted });
  return () => calls;
}

describe('the request handler and the per-connection key memo', () => {
  let backend: Server;
  let gateway: Server;
  let gatewayUrl: string;
  let config: ServiceConfig;
  let snapshots: SnapshotHolder;
  const forwarder = new BackendForwarder();
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
  const kept = new Set<Socket>();

  function get(connection: 'kept' | 'fresh'): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = request(`${gatewayUrl}/echo/resource`, { headers: { 'Ocp-Apim-Subscription-Key': key }, agent: connection === 'kept' ? keepAlive : false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      if (connection === 'kept') req.on('socket', (s) => kept.add(s));
      req.on('error', reject);
      req.end();
    });
  }

  before(async () => {
    backend = createServer((req, res) => {
      req.resume();
      res.end('{}');
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    config = sampleConfig('gatehouse', `http://127.0.0.1:${(backend.address() as AddressInfo).port}`, { primaryKey: key, secondaryKey: `${key}2` });
    snapshots = new SnapshotHolder(buildSnapshot(config, { policies: policyRegistry, version: 1 }));
    const services = { counters: new MemoryCounterStore(), caches: builtInCachesOnly(), clock: systemClock, forwarder, outbound: forwarder.outbound, circuits: new CircuitBreakers(), logger: createLogger('silent') };
    gateway = createServer(createRequestHandler(snapshots, services));
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  });
  after(async () => {
    keepAlive.destroy();
    await forwarder.close?.();
    await new Promise((resolve) => gateway.close(resolve));
    await new Promise((resolve) => backend.close(resolve));
  });

  it('asks the index once per connection, and the new index on the same connection after a snapshot swap', async () => {
    const calls = countAuthorize(snapshots.current);
    for (let i = 0; i < 3; i++) assert.equal(await get('kept'), 200);
    assert.equal(calls(), 1, 'three requests on one connection: one decision');
    assert.equal(await get('fresh'), 200);
    assert.equal(calls(), 2, 'another connection decides again');

    const suspended = {
      ...config,
      subscriptions: config.subscriptions.map((s) => (s.primaryKey === key ? { ...s, state: 'suspended' as const } : s)),
    };
    snapshots.replace(buildSnapshot(suspended, { policies: policyRegistry, version: 2 }));
    assert.equal(await get('kept'), 401);
    snapshots.replace(buildSnapshot(config, { policies: policyRegistry, version: 3 }));
    assert.equal(await get('kept'), 200);
    assert.equal(kept.size, 1, 'every kept request used the one connection');
  });
});
