/**
 * The network listener set on real loopback sockets: private listeners bound to 127.0.0.2 and
 * 127.0.0.3, callers connecting from chosen 127.x sources. Covers opening and closing per apply,
 * keep-alive connections surviving an unrelated apply and ending with their listener, source
 * refusal before any HTTP byte, in-place source changes, bind failures reported without
 * disturbing the rest, Internal mode closing the public listener and None reopening it on the
 * same port, VNet listeners, the wildcard-host hint and serialized applies.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../src/core/logger.js';
import { arrivalEndpointLabel, arrivalEndpointOf } from '../../src/gateway/arrival-endpoint.js';
import { defaultNetworkSettings, type NetworkSettings, type PrivateEndpointListener } from '../../src/model/network.js';
import { NetworkListenerSet, type ListenerOutcome } from '../../src/network/network-listener-set.js';
import { closedWithin, loopbackGet, type LoopbackAnswer } from './loopback-client.js';

const logger = createLogger('silent');
const http = (host = '127.0.0.1', httpPort = 0) => ({ host, httpPort, httpsPort: null, certificates: [] });

/** Answers with the endpoint the socket was tagged with. */
function endpointHandler(req: IncomingMessage, res: ServerResponse): void {
  res.end(arrivalEndpointLabel(arrivalEndpointOf(req.socket)));
}

const pe = (name: string, ip: string, allowed: string[]): PrivateEndpointListener => ({
  connectionName: name,
  groupId: 'Gateway',
  memberName: 'Gateway',
  privateIpAddress: ip,
  allowedSources: allowed,
});
const settings = (privateEndpoints: PrivateEndpointListener[], rest: Partial<NetworkSettings> = {}): NetworkSettings => ({
  ...defaultNetworkSettings(),
  privateEndpoints,
  ...rest,
});

function served(answer: LoopbackAnswer): string {
  assert.ok(answer.ok, `expected an answer, got ${answer.ok ? '' : answer.code}`);
  assert.equal(answer.status, 200);
  return answer.body;
}
function refused(answer: LoopbackAnswer, code: string): void {
  assert.equal(answer.ok, false, `expected ${code}, got an answer: ${answer.ok ? answer.body : ''}`);
  assert.equal(answer.ok ? '' : answer.code, code);
}

describe('network listener set', () => {
  const opened: NetworkListenerSet[] = [];
  const agents: Agent[] = [];
  after(async () => {
    for (const a of agents) a.destroy();
    await Promise.all(opened.map((s) => s.close()));
  });
  const start = async (initial: NetworkSettings, host = '127.0.0.1', port = 0) => {
    const outcomes: Array<[string, ListenerOutcome]> = [];
    const set = await NetworkListenerSet.start(http(host, port), endpointHandler, initial, {
      logger,
      onListenerOutcome: (name, outcome) => outcomes.push([name, outcome]),
    });
    opened.push(set);
    const publicPort = set.listeners().find((l) => l.endpoint === 'public')?.port ?? 0;
    return { set, outcomes, publicPort };
  };
  const keepAlive = () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    return agent;
  };

  it('opens the public listener and one per private endpoint on the same port, tagged and reported', async () => {
    const { set, outcomes, publicPort } = await start(settings([pe('pe-a', '127.0.0.2', ['127.0.0.0/30'])]));
    assert.ok(publicPort > 0);
    assert.deepEqual(
      set.listeners().map((l) => [l.endpoint, l.host, l.port]),
      [['public', '127.0.0.1', publicPort], ['private:pe-a', '127.0.0.2', publicPort]],
    );
    assert.deepEqual(set.addresses(), { public: ['127.0.0.1'], private: ['127.0.0.2'] });
    assert.deepEqual(outcomes, [['pe-a', { ok: true }]]);
    assert.equal(served(await loopbackGet('127.0.0.1', publicPort, { from: '127.0.0.9' })), 'public');
    assert.equal(served(await loopbackGet('127.0.0.2', publicPort, { from: '127.0.0.3' })), 'private:pe-a');
  });

  it('resets a connection from outside the admitted networks before any HTTP byte, and serves one inside', async () => {
    const { publicPort } = await start(settings([pe('pe-a', '127.0.0.2', ['127.0.0.0/30', '127.0.1.0/24'])]));
    refused(await loopbackGet('127.0.0.2', publicPort, { from: '127.0.0.9' }), 'ECONNRESET');
    assert.equal(served(await loopbackGet('127.0.0.2', publicPort, { from: '127.0.1.77' })), 'private:pe-a');
    // An empty list admits nobody: a private endpoint is never open to the world by omission.
    const { publicPort: p2 } = await start(settings([pe('pe-none', '127.0.0.2', [])]));
    refused(await loopbackGet('127.0.0.2', p2, { from: '127.0.0.1' }), 'ECONNRESET');
  });

  it('opens a new connection, keeps the unchanged ones with their connections, and ends a removed one', async () => {
    const { set, outcomes, publicPort } = await start(settings([pe('pe-a', '127.0.0.2', ['127.0.0.0/8'])]));
    const agentA = keepAlive();
    const agentPublic = keepAlive();
    const first = await loopbackGet('127.0.0.2', publicPort, { from: '127.0.0.5', agent: agentA });
    const firstPublic = await loopbackGet('127.0.0.1', publicPort, { from: '127.0.0.5', agent: agentPublic });
    assert.equal(served(first), 'private:pe-a');
    assert.equal(served(firstPublic), 'public');
    const socketA = first.ok ? first.socket : assert.fail();

    await set.apply(settings([pe('pe-a', '127.0.0.2', ['127.0.0.0/8']), pe('pe-b', '127.0.0.3', ['127.0.0.0/8'])]));
    assert.deepEqual(outcomes.slice(1), [['pe-b', { ok: true }]], 'only the new connection is reported');
    assert.equal(served(await loopbackGet('127.0.0.3', publicPort, { from: '127.0.0.5' })), 'private:pe-b');
    assert.equal(await closedWithin(socketA, 100), false, 'the unchanged listener kept its keep-alive connection');
    const again = await loopbackGet('127.0.0.2', publicPort, { from: '127.0.0.5', agent: agentA });
    assert.equal(served(again), 'private:pe-a');
    assert.equal(again.ok && again.socket, socketA, 'the same connection served the next request');

    await set.apply(settings([pe('pe-b', '127.0.0.3', ['127.0.0.0/8'])]));
    assert.equal(await closedWithin(socketA, 2000), true, "the removed listener's keep-alive connection was ended");
    refused(await loopbackGet('127.0.0.2', publicPort, { from: '127.0.0.5' }), 'ECONNREFUSED');
    assert.equal(served(await loopbackGet('127.0.0.3', publicPort, { from: '127.0.0.5' })), 'private:pe-b');
    const publicAgain = await loopbackGet('127.0.0.1', publicPort, { from: '127.0.0.5', agent: agentPublic });
    assert.equal(publicAgain.ok && firstPublic.ok && publicAgain.socket === firstPublic.socket, true, 'the public connection was not disturbed');
  });

  it('applies a changed source list to new connections without reopening the listener', async () => {
    const { set, publicPort } = await start(settings([pe('pe-a', '127.0.0.2', ['127.0.0.4/32'])]));
    const agent = keepAlive();
    const kept = await loopbackGet('127.0.0.2', publicPort, { from: '127.0.0.4', agent });
    assert.equal(served(kept), 'private:pe-a');
    refused(await loopbackGet('127.0.0.2', publicPort, { from: '127.0.0.6' }), 'ECONNRESET');

    await set.apply(settings([pe('pe-a', '127.0.0.2', ['127.0.0.6/32'])]));
    assert.equal(served(await loopbackGet('127.0.0.2', publicPort, { from: '127.0.0.6' })), 'private:pe-a');
    refused(await loopbackGet('127.0.0.2', publicPort, { from: '127.0.0.4' }), 'ECONNRESET');
    assert.equal(kept.ok && (await closedWithin(kept.socket, 100)), false, 'the listener was not reopened');
  });

  it('reports an address the host does not have, and the other listeners serve on', async () => {
    const { set, outcomes, publicPort } = await start(settings([pe('pe-gone', '192.0.2.55', ['127.0.0.0/8']), pe('pe-a', '127.0.0.2', ['127.0.0.0/8'])]));
    const failure = outcomes.find(([name]) => name === 'pe-gone')?.[1];
    assert.ok(failure && !failure.ok);
    assert.equal(
      failure.message,
      `The gateway could not listen on 192.0.2.55:${publicPort}: the address is not assigned to any network interface of the gateway host.`,
    );
    assert.deepEqual(outcomes.find(([name]) => name === 'pe-a')?.[1], { ok: true });
    assert.deepEqual(set.listeners().map((l) => l.endpoint), ['public', 'private:pe-a']);
    assert.equal(served(await loopbackGet('127.0.0.2', publicPort, { from: '127.0.0.3' })), 'private:pe-a');
    assert.equal(served(await loopbackGet('127.0.0.1', publicPort)), 'public');

    // A later apply retries it (and reports again); an invalid address is reported without a bind.
    await set.apply(settings([pe('pe-gone', '192.0.2.55', ['127.0.0.0/8']), pe('pe-bad', 'not-an-ip', [])]));
    assert.equal(outcomes.filter(([name]) => name === 'pe-gone').length, 2);
    const bad = outcomes.find(([name]) => name === 'pe-bad')?.[1];
    assert.ok(bad && !bad.ok && bad.message.includes("'not-an-ip'"), JSON.stringify(bad));
  });

  it('explains a port taken by a public listener on the wildcard address', async () => {
    const { outcomes, publicPort } = await start(settings([pe('pe-a', '127.0.0.2', ['127.0.0.0/8'])]), '0.0.0.0');
    const failure = outcomes[0]![1];
    assert.ok(!failure.ok);
    assert.match(failure.message, new RegExp(`^The gateway could not listen on 127\\.0\\.0\\.2:${publicPort}: .*wildcard address 0\\.0\\.0\\.0.*--host set to the public address`));
  });

  it('closes the public listener in Internal mode and reopens it on the same port for None', async () => {
    const { set, publicPort } = await start(settings([pe('pe-a', '127.0.0.2', ['127.0.0.0/8'])]));
    const agent = keepAlive();
    const kept = await loopbackGet('127.0.0.1', publicPort, { agent });
    assert.equal(served(kept), 'public');

    await set.apply(settings([pe('pe-a', '127.0.0.2', ['127.0.0.0/8'])], { virtualNetworkType: 'Internal' }));
    assert.equal(kept.ok && (await closedWithin(kept.socket, 2000)), true, 'the public keep-alive connection was ended');
    refused(await loopbackGet('127.0.0.1', publicPort), 'ECONNREFUSED');
    assert.equal(served(await loopbackGet('127.0.0.2', publicPort, { from: '127.0.0.3' })), 'private:pe-a');
    assert.deepEqual(set.addresses(), { public: [], private: ['127.0.0.2'] });

    await set.apply(settings([pe('pe-a', '127.0.0.2', ['127.0.0.0/8'])]));
    assert.equal(served(await loopbackGet('127.0.0.1', publicPort)), 'public');
    assert.equal(set.listeners().find((l) => l.endpoint === 'public')?.port, publicPort);
  });

  it('starting in Internal mode, private and VNet listeners share one chosen port, which the public listener later takes', async () => {
    const internal = settings([], {
      virtualNetworkType: 'Internal',
      injection: { subnetId: '/subnets/gw', subnetPrefix: '127.0.0.0/8', allowedSources: ['127.0.0.0/30'] },
    });
    const { set, publicPort } = await start(internal);
    assert.equal(publicPort, 0, 'no public listener in Internal mode');
    const vnet = set.listeners();
    assert.deepEqual(vnet.map((l) => [l.endpoint, l.host]), [['vnet', '127.0.0.1']]);
    const port = vnet[0]!.port;
    assert.equal(served(await loopbackGet('127.0.0.1', port, { from: '127.0.0.3' })), 'vnet');
    refused(await loopbackGet('127.0.0.1', port, { from: '127.0.0.9' }), 'ECONNRESET');

    await set.apply(settings([]));
    assert.deepEqual(set.listeners().map((l) => [l.endpoint, l.port]), [['public', port]]);
    assert.equal(served(await loopbackGet('127.0.0.1', port, { from: '127.0.0.9' })), 'public');
  });

  it('in External mode serves the public listener and VNet listeners on the host addresses in the subnet, open to any source', async () => {
    const external = settings([], {
      virtualNetworkType: 'External',
      injection: { subnetId: '/subnets/gw', subnetPrefix: '127.0.0.0/29', allowedSources: ['10.0.0.0/8'] },
    });
    const outcomes: Array<[string, ListenerOutcome]> = [];
    const set = await NetworkListenerSet.start(http(), endpointHandler, external, {
      logger,
      onListenerOutcome: (name, outcome) => outcomes.push([name, outcome]),
      // 127.0.0.5 stands for a second address of the host in the subnet; 127.0.0.1 is the public host.
      localAddresses: () => ['127.0.0.1', '127.0.0.5', '192.0.2.200', '::1'],
    });
    opened.push(set);
    const port = set.listeners()[0]!.port;
    assert.deepEqual(set.listeners().map((l) => [l.endpoint, l.host, l.port]), [['public', '127.0.0.1', port], ['vnet', '127.0.0.5', port]]);
    assert.equal(served(await loopbackGet('127.0.0.5', port, { from: '127.0.0.99' })), 'vnet');
    assert.equal(served(await loopbackGet('127.0.0.1', port)), 'public');
    assert.deepEqual(outcomes, [], 'VNet listeners are no connection');
  });

  it('serializes applies: the last one requested wins', async () => {
    const { set, publicPort } = await start(settings([]));
    const a = set.apply(settings([pe('pe-a', '127.0.0.2', ['127.0.0.0/8'])]));
    const b = set.apply(settings([pe('pe-b', '127.0.0.3', ['127.0.0.0/8'])]));
    await Promise.all([a, b]);
    assert.deepEqual(set.listeners().map((l) => l.endpoint), ['public', 'private:pe-b']);
    refused(await loopbackGet('127.0.0.2', publicPort), 'ECONNREFUSED');
  });

  it('fails the start when the public port is taken, leaving nothing open', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      await assert.rejects(
        NetworkListenerSet.start(http('127.0.0.1', port), endpointHandler, settings([pe('pe-a', '127.0.0.2', ['127.0.0.0/8'])]), { logger }),
        new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use`),
      );
      refused(await loopbackGet('127.0.0.2', port), 'ECONNREFUSED');
    } finally {
      blocker.close();
    }
  });

  it('closes every listener', async () => {
    const set = await NetworkListenerSet.start(http(), endpointHandler, settings([pe('pe-a', '127.0.0.2', ['127.0.0.0/8'])]), { logger });
    const port = set.listeners()[0]!.port;
    await set.close();
    refused(await loopbackGet('127.0.0.1', port), 'ECONNREFUSED');
    refused(await loopbackGet('127.0.0.2', port), 'ECONNREFUSED');
    await set.apply(settings([]));
    assert.deepEqual(set.listeners(), [], 'an apply after close opens nothing');
  });
});
