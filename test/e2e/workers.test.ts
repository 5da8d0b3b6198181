/**
 * `gatehouse start --workers 2`, for real: two gateway processes behind one port, a rate limit
 * counted once for the whole host, configuration reloads reaching every worker, and a clean
 * exit on SIGTERM. Which worker holds a connection is read from Linux's /proc (the socket's
 * inode in /proc/net/tcp, the worker's descriptors in /proc/PID/fd), so the gateway needs no
 * diagnostic header for the test.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { apiInformation, openApi, writeApiopsFolder } from './helpers/apiops-writer.js';
import { runGatehouse, startGatehouseProcess, waitForStderr, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { policies } from './helpers/policy-e2e-support.js';

const LIMIT = 5;
const hasProcNet = process.platform === 'linux' && existsSync('/proc/net/tcp');
const skipReason = hasProcNet ? false : 'needs Linux /proc to see which worker holds a connection';
if (!hasProcNet && process.env.CI === 'true') throw new Error(`workers e2e: ${skipReason as string}`);

let backend: EchoBackend;
let gh: GatehouseProcess;
let configDir: string;
let workerPids: number[] = [];
let port = 0;
const sockets: Socket[] = [];

before(async () => {
  backend = await startEchoBackend();
  configDir = writeApiopsFolder({
    'apis/w/apiInformation.json': apiInformation({ displayName: 'Workers', path: 'w', serviceUrl: `${backend.url}/svc`, subscriptionRequired: false }),
    'apis/w/specification.json': openApi([
      { method: 'GET', path: '/open', operationId: 'open' },
      { method: 'GET', path: '/limited', operationId: 'limited' },
    ]),
    'apis/w/operations/limited/policy.xml': policies({
      inbound: `<base /><rate-limit-by-key calls="${LIMIT}" renewal-period="300" counter-key="workers-e2e" />`,
    }),
  });
  gh = await startGatehouseProcess(['--config', configDir, '--workers', '2']);
  port = Number(new URL(gh.gatewayUrl).port);
  const line = gh.stdout.find((l) => l.includes('workers:'));
  assert.ok(line, `no workers line in:\n${gh.stdout.join('\n')}`);
  workerPids = /\(pids ([\d, ]+)\)/.exec(line)![1]!.split(', ').map(Number);
});

after(async () => {
  for (const s of sockets) s.destroy();
  await gh?.stop();
  await backend?.close();
});

/** One keep-alive connection to the gateway that can exchange requests one at a time. */
async function openConnection(): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return socket;
}

/** Sends a GET on the connection and reads the whole response (the gateway always sends Content-Length here). */
function exchange(socket: Socket, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = buffer.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 'NaN');
      if (Number.isNaN(length)) return finish(new Error(`response without Content-Length:\n${head}`));
      if (buffer.length < end + 4 + length) return;
      finish(undefined, { status: Number(head.split(' ')[1]), body: buffer.subarray(end + 4, end + 4 + length).toString('utf8') });
    };
    const onClose = () => finish(new Error('connection closed before the response was complete'));
    const finish = (err?: Error, result?: { status: number; body: string }) => {
      socket.off('data', onData);
      socket.off('close', onClose);
      if (err) reject(err);
      else resolve(result!);
    };
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n\r\n`);
  });
}

/** The worker pid whose descriptors include the server side of the client connection from `clientPort`. */
function ownerOf(clientPort: number): number | undefined {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const row of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const fields = row.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const local = parseInt(fields[1]!.split(':').pop()!, 16);
      const remote = parseInt(fields[2]!.split(':').pop()!, 16);
      if (local === port && remote === clientPort) inodes.add(fields[9]!);
    }
  }
  for (const pid of workerPids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && inodes.has(m[1]!)) return pid;
    }
  }
  return undefined;
}

/**
 * Opens keep-alive connections (each answered once) until each worker holds at least `each` of
 * them. The primary hands connections out in turn, but a busy worker is skipped, and a worker
 * that has just started takes none until it listens, so the count needed is not fixed: it keeps
 * trying for up to 30 s and closes each connection that lands on a worker already holding enough.
 */
async function connectionsOnBothWorkers(each: number): Promise<Array<{ socket: Socket; owner: number }>> {
  const connections: Array<{ socket: Socket; owner: number }> = [];
  const held = (pid: number) => connections.filter((c) => c.owner === pid).length;
  const deadline = Date.now() + 30_000;
  while (!workerPids.every((pid) => held(pid) >= each) && Date.now() < deadline) {
    const socket = await openConnection();
    const answer = await exchange(socket, '/w/open');
    assert.equal(answer.status, 200, answer.body);
    const owner = ownerOf(socket.localPort!);
    assert.ok(owner !== undefined, `no worker holds the connection from port ${socket.localPort}`);
    if (held(owner) < each) {
      connections.push({ socket, owner });
      continue;
    }
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.ok(workerPids.every((pid) => held(pid) >= each), `connections per worker: ${workerPids.map(held).join(', ')}`);
  return connections;
}

/** The child processes of the gatehouse primary (Linux's /proc children list). */
function gatewayChildren(): number[] {
  const pid = gh.child.pid!;
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

/** True while the process exists and is not a zombie. */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('gatehouse start --workers 2', () => {
  it('prints one banner naming two worker processes besides itself', () => {
    assert.equal(workerPids.length, 2);
    assert.notEqual(workerPids[0], workerPids[1]);
    assert.ok(!workerPids.includes(gh.child.pid!));
    assert.equal(gh.stdout.filter((l) => l.includes('gateway (http)')).length, 1);
  });

  it('serves one port from both workers, connections spread over them', { skip: skipReason }, async () => {
    const connections = await connectionsOnBothWorkers(3);
    const owners = new Set(connections.map((c) => c.owner));
    assert.deepEqual([...owners].sort(), [...workerPids].sort());
  });

  it(`enforces a rate-limit-by-key of ${LIMIT} calls across workers: exactly ${LIMIT} succeed`, { skip: skipReason }, async () => {
    const connections = await connectionsOnBothWorkers(3);
    // Four rounds over the connections (both workers hold some), each round's calls in flight together.
    const statuses: number[] = [];
    for (let round = 0; round < 4; round++) {
      const answers = await Promise.all(connections.map((c) => exchange(c.socket, '/w/limited')));
      statuses.push(...answers.map((a) => a.status));
    }
    assert.equal(statuses.filter((s) => s === 200).length, LIMIT, `statuses: ${statuses.join(' ')}`);
    assert.equal(statuses.filter((s) => s === 429).length, statuses.length - LIMIT, `statuses: ${statuses.join(' ')}`);
  });

  it('reloads the configuration in every worker on SIGHUP', { skip: skipReason }, async () => {
    mkdirSync(join(configDir, 'apis', 'added'), { recursive: true });
    writeFileSync(
      join(configDir, 'apis', 'added', 'apiInformation.json'),
      JSON.stringify(apiInformation({ displayName: 'Added', path: 'added', serviceUrl: `${backend.url}/added`, subscriptionRequired: false })),
    );
    writeFileSync(join(configDir, 'apis', 'added', 'specification.json'), JSON.stringify(openApi([{ method: 'GET', path: '/x', operationId: 'x' }])));
    gh.child.kill('SIGHUP');
    const seen = new Set<number>();
    const deadline = Date.now() + 20_000;
    while (seen.size < 2 && Date.now() < deadline) {
      const socket = await openConnection();
      const answer = await exchange(socket, '/added/x');
      if (answer.status === 200) seen.add(ownerOf(socket.localPort!)!);
      else await new Promise((resolve) => setTimeout(resolve, 100));
      socket.destroy();
    }
    assert.deepEqual([...seen].sort(), [...workerPids].sort(), 'both workers serve the reloaded configuration');
  });

  it('replaces a killed worker on the same port while the other keeps serving', { skip: skipReason }, async () => {
    for (const s of sockets.splice(0)) s.destroy();
    const [killed, survivor] = workerPids as [number, number];
    const noticed = waitForStderr(gh, /gateway worker exited; starting a replacement/, 30_000);
    process.kill(killed, 'SIGKILL');
    // A connection the primary hands to a worker in the instant it dies is never answered
    // (node:cluster's round-robin hand-off); from the exit on, the primary hands none to it.
    await noticed;
    // Until the replacement listens, the survivor takes every connection: none is refused.
    let replacement: number | undefined;
    const deadline = Date.now() + 30_000;
    while (replacement === undefined && Date.now() < deadline) {
      const socket = await openConnection();
      const answer = await exchange(socket, '/w/open');
      assert.equal(answer.status, 200, answer.body);
      socket.destroy();
      replacement = gatewayChildren().find((pid) => pid !== survivor && pid !== killed && running(pid));
      if (replacement === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(replacement !== undefined, 'no replacement worker appeared');
    workerPids = [survivor, replacement];
    // Both serve the one printed port again.
    const connections = await connectionsOnBothWorkers(1);
    assert.deepEqual([...new Set(connections.map((c) => c.owner))].sort(), [...workerPids].sort());
  });

  it('stops every worker and exits 0 on SIGTERM', { skip: skipReason }, async () => {
    for (const s of sockets) s.destroy();
    assert.ok(workerPids.every(running));
    assert.equal(await gh.stop(), 0);
    const deadline = Date.now() + 10_000;
    while (workerPids.some(running) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(workerPids.filter(running), []);
  });

  it('refuses a worker count that is not a number from 0 to 256', async () => {
    for (const bad of ['-1', '257', '1.5']) {
      const result = await runGatehouse(['start', `--workers=${bad}`]);
      assert.equal(result.code, 2, bad);
      assert.match(result.stderr, new RegExp(`Invalid --workers '${bad.replace('.', '\\.')}': expected a number of gateway processes from 1 to 256, or 0`));
    }
    const fromEnv = await runGatehouse(['start'], { GATEHOUSE_WORKERS: 'many' });
    assert.equal(fromEnv.code, 2);
    assert.match(fromEnv.stderr, /Invalid GATEHOUSE_WORKERS 'many'/);
  });
});
