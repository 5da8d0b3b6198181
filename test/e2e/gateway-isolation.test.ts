/**
 * `gatehouse start` runs the gateway in a process of its own (issue 11: "a slow expression never
 * delays the management API"), here one (`--workers 1`; the default runs one per core). A
 * gateway call whose outbound section burns CPU for a long time is in flight, its backend has
 * answered, and a management API GET sent then completes before the gateway call does. The same probe against `--workers 0` (the gateway in
 * the start process) sees the opposite order, so the probe itself can tell the two apart. Also:
 * the banner names the gateway process, and a gateway process that dies is replaced on the same
 * address with the counters intact (the start process holds them).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiInformation, openApi, writeApiopsFolder } from './helpers/apiops-writer.js';
import { startGatehouseProcess, waitForStderr, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { policies } from './helpers/policy-e2e-support.js';

const token = 'isolation-test-admin-token-0123456789';
const QUOTA = 3;
/**
 * Outbound steps that each loop well inside the 500 ms expression budget (a few tens of
 * milliseconds on an idle machine, so a loaded one stays under it) and together hold the
 * gateway's event loop for a second or more, with no await between them.
 */
const burnSteps = 60;
const burn = Array.from(
  { length: burnSteps },
  (_, i) => `<set-variable name="burn${i}" value="@{ var n = 0; for (var i = 0; i != 10000; i++) { n = (n + i) % 1000; } return n.ToString(); }" />`,
).join('');

interface Backend {
  url: string;
  server: Server;
  /** Resolves when the backend has written its answer to the next request. */
  nextAnswer(): Promise<void>;
}

async function startBackend(): Promise<Backend> {
  let waiting: Array<() => void> = [];
  const server = createServer((req, res) => {
    req.resume();
    res.on('finish', () => {
      const answered = waiting;
      waiting = [];
      for (const resolve of answered) resolve();
    });
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    nextAnswer: () => new Promise<void>((resolve) => waiting.push(resolve)),
  };
}

let backend: Backend;
let configDir: string;

before(async () => {
  backend = await startBackend();
  configDir = writeApiopsFolder({
    'apis/i/apiInformation.json': apiInformation({ displayName: 'Isolation', path: 'i', serviceUrl: backend.url, subscriptionRequired: false }),
    'apis/i/specification.json': openApi([
      { method: 'GET', path: '/burn', operationId: 'burn' },
      { method: 'GET', path: '/counted', operationId: 'counted' },
    ]),
    'apis/i/operations/burn/policy.xml': policies({ outbound: `<base />${burn}` }),
    // A quota that never renews: the count before a crash must hold after it.
    'apis/i/operations/counted/policy.xml': policies({ inbound: `<base /><quota-by-key calls="${QUOTA}" renewal-period="0" counter-key="isolation" />` }),
  });
});

after(() => new Promise<void>((resolve) => backend.server.close(() => resolve())));

function managementUrl(gh: GatehouseProcess): string {
  const m = /management API \(http\): (\S+)/.exec(gh.stdout.join('\n'));
  assert.ok(m, gh.stdout.join('\n'));
  return `${m[1]}/subscriptions/s/resourceGroups/r/providers/Microsoft.ApiManagement/service/gatehouse?api-version=2024-05-01`;
}

/**
 * Sends the slow gateway call; once the backend has answered it (the outbound burn starts right
 * after), sends a management GET. Returns which of the two completed first, and their statuses.
 */
async function race(gh: GatehouseProcess): Promise<{ order: string[]; gateway: string; managementStatus: number }> {
  const order: string[] = [];
  const answered = backend.nextAnswer();
  const gateway = fetch(`${gh.gatewayUrl}/i/burn`).then(async (res) => {
    order.push('gateway');
    return `${res.status} ${await res.text()}`;
  });
  await answered;
  const management = fetch(managementUrl(gh), { headers: { authorization: `Bearer ${token}` } }).then(async (res) => {
    order.push('management');
    await res.arrayBuffer();
    return res.status;
  });
  const [gatewayAnswer, managementStatus] = await Promise.all([gateway, management]);
  return { order, gateway: gatewayAnswer, managementStatus };
}

describe('the gateway in a process of its own (--workers 1)', () => {
  let gh: GatehouseProcess;
  let gatewayPid = 0;
  before(async () => {
    gh = await startGatehouseProcess(['--config', configDir, '--admin-token', token, '--access-log', 'off', '--workers', '1'], { env: { GATEHOUSE_LOG_LEVEL: 'info' } });
  });
  after(() => gh?.stop());

  it('names the gateway process in the banner, apart from the start process', () => {
    const line = gh.stdout.find((l) => l.startsWith('  gateway process: pid '));
    assert.ok(line, gh.stdout.join('\n'));
    gatewayPid = Number(/pid (\d+)/.exec(line)![1]);
    assert.ok(gatewayPid > 0);
    assert.notEqual(gatewayPid, gh.child.pid);
    assert.match(line, new RegExp(`counters held by this process \\(pid ${gh.child.pid}\\)`));
  });

  it('answers a management GET while a gateway call burns CPU in its outbound section', async () => {
    const { order, gateway, managementStatus } = await race(gh);
    assert.equal(gateway, '200 ok', 'the slow call ran all its steps within their budgets');
    assert.equal(managementStatus, 200);
    assert.deepEqual(order, ['management', 'gateway']);
  });

  it('replaces a gateway process that dies, on the same address, with the counters intact', async () => {
    assert.ok(gatewayPid > 0, 'the banner test found the gateway pid');
    const statuses: number[] = [];
    for (let i = 0; i < QUOTA - 1; i++) {
      const res = await fetch(`${gh.gatewayUrl}/i/counted`);
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, Array(QUOTA - 1).fill(200));

    const replaced = waitForStderr(gh, /replacement gateway worker is serving/, 60_000);
    process.kill(gatewayPid, 'SIGKILL');
    await replaced;

    // One call left of the quota, counted by the start process across the crash.
    const after: number[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${gh.gatewayUrl}/i/counted`);
      await res.arrayBuffer();
      after.push(res.status);
    }
    assert.deepEqual(after, [200, 403]);
  });
});

describe('the gateway in the start process (--workers 0)', () => {
  let gh: GatehouseProcess;
  before(async () => {
    gh = await startGatehouseProcess(['--config', configDir, '--admin-token', token, '--access-log', 'off', '--workers', '0']);
  });
  after(() => gh?.stop());

  it('says so in the banner', () => {
    assert.ok(gh.stdout.includes('  gateway process: this one (--workers 0), sharing its event loop with the management API'), gh.stdout.join('\n'));
  });

  it('holds a management GET until the burning gateway call is done (what a gateway process avoids)', async () => {
    // In one process the GET can still slip in between the backend's answer reaching the
    // gateway and the burn starting (a few ticks); a loaded machine widens that gap. One of three
    // tries showing the GET held is enough to tell the modes apart: isolated, it never is.
    const orders: string[][] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const { order, gateway, managementStatus } = await race(gh);
      assert.equal(gateway, '200 ok', 'the slow call ran all its steps within their budgets');
      assert.equal(managementStatus, 200);
      orders.push(order);
      if (order[0] === 'gateway') break;
    }
    assert.deepEqual(orders.at(-1), ['gateway', 'management'], JSON.stringify(orders));
  });
});
