/**
 * A redis-server of the test's own on a free loopback port, without persistence, which the test
 * may stop and start again on the same port (Redis going away and coming back). Absent
 * `redis-server` fails under CI=true and skips with a printed reason elsewhere.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { unusedLoopbackUrl } from '../e2e/helpers/policy-e2e-support.js';
import { waitFor } from '../e2e/helpers/wait-for.js';

/** Undefined when `redis-server` can run, else why the test is skipped (a failing test under CI=true). */
export function privateRedisSkipReason(what: string): string | undefined {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0) return undefined;
  const reason = `redis-server cannot run here (${probe.error?.message ?? probe.stderr.trim()})`;
  if (process.env.CI === 'true') it(`runs redis-server (required in CI for ${what})`, () => assert.fail(reason));
  else console.log(`# skipping ${what}: ${reason}`);
  return reason;
}

export class PrivateRedis {
  private child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  /** Starts one on a free port and waits until it answers. */
  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(Number(new URL(await unusedLoopbackUrl()).port));
    await redis.startAgain();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again) on its port and waits until it answers PING. */
  async startAgain(): Promise<void> {
    assert.equal(this.child, null, 'the private redis-server is already running');
    const child = spawn('redis-server', ['--save', '', '--appendonly', 'no', '--port', String(this.port), '--bind', '127.0.0.1'], { stdio: 'ignore' });
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = null;
    });
    await waitFor(`redis-server on port ${this.port} to answer`, () => this.answers(), undefined, 30_000);
  }

  /** Stops the server and waits until it is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
    this.child = null;
  }

  private async answers(): Promise<boolean> {
    const client = new Redis({ port: this.port, host: '127.0.0.1', lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }
}
