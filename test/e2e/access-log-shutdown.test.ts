/**
 * The batched access log through the real CLI (`gatehouse start`, built dist/): N requests
 * answered, then the process stopped at once by SIGTERM or SIGINT, and every one of the N lines
 * is in the file (or on stdout), whole, once each.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';

const requests = 300;

function key(gh: GatehouseProcess): string {
  const m = /sample subscription key \(product 'starter'\): (\S+)/.exec(gh.stdout.join('\n'));
  assert.ok(m, gh.stdout.join('\n'));
  return m[1]!;
}

/** Sends `requests` GETs over a few keep-alive connections and waits for every answer. */
async function sendAll(gh: GatehouseProcess): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const k = key(gh);
  const statuses = await Promise.all(Array.from({ length: requests }, (_, i) => new Promise<number>((resolve, reject) => {
    request(`${gh.gatewayUrl}/echo/resource?n=${i}`, { agent, headers: { 'Ocp-Apim-Subscription-Key': k } }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    }).once('error', reject).end();
  })));
  agent.destroy();
  // The sample's rate limit answers some with 429: those are logged too.
  assert.ok(statuses.every((s) => s === 200 || s === 429), `statuses: ${[...new Set(statuses)].join(', ')}`);
  assert.ok(statuses.includes(200));
}

function assertEveryRequestLogged(lines: string[]): void {
  const ns = lines.map((l) => /[?&]n=(\d+)/.exec((JSON.parse(l) as { path: string }).path)?.[1]).map(Number);
  assert.equal(ns.length, requests, 'one line per request');
  assert.deepEqual([...ns].sort((a, b) => a - b), Array.from({ length: requests }, (_, i) => i));
}

function stopWith(gh: GatehouseProcess, signal: NodeJS.Signals): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => gh.child.once('exit', (code) => resolve(code)));
  gh.child.kill(signal);
  return exited;
}

describe('access log on shutdown: nothing lost', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`to a file, stopped by ${signal} right after the last answer`, async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'gatehouse-access-shutdown-')), 'access.log');
      const gh = await startGatehouseProcess(['--access-log', file]);
      try {
        await sendAll(gh);
        await stopWith(gh, signal);
        const text = readFileSync(file, 'utf8');
        assert.ok(text.endsWith('}\n'), 'the last line is whole');
        assertEveryRequestLogged(text.trimEnd().split('\n'));
      } finally {
        await gh.stop();
      }
    });
  }

  it('on stdout, stopped by SIGTERM right after the last answer', async () => {
    const gh = await startGatehouseProcess([]);
    try {
      await sendAll(gh);
      await stopWith(gh, 'SIGTERM');
      // The stdout pipe is read to its end before 'exit' is seen at the latest by 'close'.
      await new Promise((resolve) => (gh.child.stdout!.readableEnded ? resolve(undefined) : gh.child.stdout!.once('end', resolve)));
      assertEveryRequestLogged(gh.stdout.filter((l) => l.startsWith('{')));
    } finally {
      await gh.stop();
    }
  });
});
