/**
 * `gatehouse start` runs the management plane and the gateway follows the store (issue 3 §4,
 * §5): a real CLI process on port 0 with its own data folder; resources written through the
 * management REST API over HTTPS (trusting the generated development certificate by its file)
 * and HTTP are served by the gateway without a restart; a wrong token is refused; a restart on
 * the same data folder keeps everything; PostgreSQL (`--store postgres://…`) works the same.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Agent, fetch as undiciFetch } from 'undici';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';

const pgUrl = process.env.GATEHOUSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const service = '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.ApiManagement/service/gatehouse';
const policy = (value: string) =>
  `<policies><inbound><base /></inbound><backend><base /></backend><outbound><base /><set-header name="x-live" exists-action="override"><value>${value}</value></set-header></outbound><on-error><base /></on-error></policies>`;

/** What `start` printed about the management plane. */
interface Printed {
  http: string;
  https: string;
  certificate: string;
  tokenFile: string;
}

function printed(gh: GatehouseProcess): Printed {
  const text = gh.stdout.join('\n');
  const pick = (re: RegExp): string => {
    const m = re.exec(text);
    assert.ok(m, `start did not print ${re}:\n${text}`);
    return m[1]!;
  };
  return {
    http: pick(/management API \(http\): (\S+)/),
    https: pick(/management API \(https\): (\S+)/),
    certificate: pick(/management certificate: (\S+)/),
    tokenFile: pick(/admin token file: (\S+)/),
  };
}

/** A management API client over the printed URL; HTTPS trusts the printed certificate file only. */
function client(baseUrl: string, token: string, caFile: string) {
  const dispatcher = new Agent({ connect: { ca: readFileSync(caFile, 'utf8') } });
  return {
    dispatcher,
    async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const res = await undiciFetch(`${baseUrl}${service}/${path}?api-version=2024-05-01`, {
        method,
        dispatcher,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, etag: res.headers.get('etag'), body: text ? (JSON.parse(text) as any) : undefined };
    },
  };
}

/** Polls the gateway until `ok` holds; generous, because the machine may be busy (the poll runs every 200 ms). */
async function eventually(url: string, ok: (status: number, live: string | null) => boolean): Promise<{ status: number; live: string | null }> {
  const deadline = Date.now() + 10_000;
  let last = { status: 0, live: null as string | null };
  while (Date.now() < deadline) {
    const res = await fetch(url);
    await res.arrayBuffer();
    last = { status: res.status, live: res.headers.get('x-live') };
    if (ok(last.status, last.live)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`the gateway never served the change: last answer ${JSON.stringify(last)}`);
}

async function postgresReason(): Promise<string | undefined> {
  const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return undefined;
  } catch (err) {
    return `PostgreSQL at ${pgUrl} is unreachable (${(err as Error).message})`;
  } finally {
    await c.end().catch(() => undefined);
  }
}

const pgReason = await postgresReason();
const pgSkip = pgReason !== undefined && process.env.CI !== 'true' ? pgReason : undefined;
if (pgSkip) console.log(`# skipping the PostgreSQL part of the live config test: ${pgSkip}`);

/** The whole scenario against one store choice (extra `start` arguments). */
function scenario(name: string, storeArgs: () => string[], options: { skip?: string; cleanup?: () => Promise<void> } = {}) {
  describe(`management plane and live config (${name})`, { skip: options.skip }, () => {
    let backend: EchoBackend;
    const data = mkdtempSync(join(tmpdir(), 'gatehouse-live-'));
    const running: GatehouseProcess[] = [];
    before(async () => {
      if (pgReason !== undefined && name === 'PostgreSQL') assert.fail(pgReason);
      backend = await startEchoBackend();
    });
    after(async () => {
      for (const gh of running) await gh.stop();
      await backend?.close();
      await options.cleanup?.();
    });

    it('serves what the management API writes, follows changes, refuses bad tokens and survives a restart', async () => {
      const gh = await startGatehouseProcess(['--data', data, ...storeArgs()]);
      running.push(gh);
      const where = printed(gh);
      assert.equal(statSync(where.tokenFile).mode & 0o777, 0o600, 'the admin token file is private');
      const token = readFileSync(where.tokenFile, 'utf8').trim();
      assert.ok(token.length >= 32);
      assert.equal(gh.stdout.join('\n').includes(token), false, 'the token itself is never printed');
      assert.match(where.https, /^https:\/\/127\.0\.0\.1:\d+$/);

      const https = client(where.https, token, where.certificate);
      const http = client(where.http, token, where.certificate);
      try {
        // Create over HTTPS: API, operation, policy.
        const api = await https.call('PUT', 'apis/live', { properties: { displayName: 'Live', path: 'live', serviceUrl: backend.url, protocols: ['http'], subscriptionRequired: false } });
        assert.equal(api.status, 201, JSON.stringify(api.body));
        assert.equal((await https.call('PUT', 'apis/live/operations/hello', { properties: { displayName: 'Hello', method: 'GET', urlTemplate: '/hello' } })).status, 201);
        assert.equal((await https.call('PUT', 'apis/live/policies/policy', { properties: { format: 'rawxml', value: policy('one') } })).status, 201);
        const first = await eventually(`${gh.gatewayUrl}/live/hello`, (s, live) => s === 200 && live === 'one');
        assert.equal(first.live, 'one');

        // Change the policy over plain HTTP: the gateway's behaviour changes.
        const current = await http.call('GET', 'apis/live/policies/policy');
        assert.equal(current.status, 200);
        const changed = await http.call('PUT', 'apis/live/policies/policy', { properties: { format: 'rawxml', value: policy('two') } }, { 'if-match': current.etag! });
        assert.equal(changed.status, 200, JSON.stringify(changed.body));
        await eventually(`${gh.gatewayUrl}/live/hello`, (s, live) => s === 200 && live === 'two');

        // A policy that does not compile is refused at save time and never reaches the gateway.
        const bad = await http.call('PUT', 'apis/live/policies/policy', { properties: { format: 'rawxml', value: policy('three').replace('<set-header', '<no-such-policy') } });
        assert.equal(bad.status, 400);
        const still = await fetch(`${gh.gatewayUrl}/live/hello`);
        assert.equal(still.headers.get('x-live'), 'two');

        // Wrong and missing tokens: 401 with ARM's error body.
        const tokenCases: Array<Record<string, string>> = [{ authorization: 'Bearer wrong-token-wrong-token' }, {}];
        for (const headers of tokenCases) {
          const res = await undiciFetch(`${where.https}${service}/apis?api-version=2024-05-01`, { dispatcher: https.dispatcher, headers });
          assert.equal(res.status, 401);
          const body = (await res.json()) as { error?: { code?: string } };
          assert.equal(typeof body.error?.code, 'string');
        }

        // A new API appears without a restart; deleting it removes it.
        assert.equal((await http.call('PUT', 'apis/later', { properties: { displayName: 'Later', path: 'later', serviceUrl: backend.url, protocols: ['http'], subscriptionRequired: false } })).status, 201);
        assert.equal((await http.call('PUT', 'apis/later/operations/any', { properties: { displayName: 'Any', method: 'GET', urlTemplate: '/*' } })).status, 201);
        await eventually(`${gh.gatewayUrl}/later/x`, (s) => s === 200);
        assert.equal((await http.call('DELETE', 'apis/later', undefined, { 'if-match': '*' })).status, 200);
        await eventually(`${gh.gatewayUrl}/later/x`, (s) => s === 404);
      } finally {
        await https.dispatcher.close();
        await http.dispatcher.close();
      }

      // Restart on the same data folder: same token, same certificate, same configuration.
      await gh.stop();
      const again = await startGatehouseProcess(['--data', data, ...storeArgs()]);
      running.push(again);
      const where2 = printed(again);
      assert.equal(where2.tokenFile, where.tokenFile);
      assert.equal(readFileSync(where2.tokenFile, 'utf8').trim(), token);
      assert.equal(where2.certificate, where.certificate);
      assert.doesNotMatch(again.stdout.join('\n'), /generated now/);
      const served = await fetch(`${again.gatewayUrl}/live/hello`);
      assert.equal(served.status, 200);
      assert.equal(served.headers.get('x-live'), 'two');
      const https2 = client(where2.https, token, where2.certificate);
      try {
        const listed = await https2.call('GET', 'apis');
        assert.equal(listed.status, 200);
        const names = (listed.body.value as Array<{ name: string }>).map((a) => a.name).sort();
        assert.deepEqual(names, ['echo-api', 'live'], 'the sample seeded at first start and the API written later');
      } finally {
        await https2.dispatcher.close();
      }
      // The sample still works after the restart: its API was re-pointed at this run's echo server.
      const key = /sample subscription key \(product 'starter'\): (\S+)/.exec(again.stdout.join('\n'))?.[1];
      assert.ok(key, again.stdout.join('\n'));
      const echo = await fetch(`${again.gatewayUrl}/echo/resource`, { headers: { 'Ocp-Apim-Subscription-Key': key } });
      assert.equal(echo.status, 200);
    });
  });
}

scenario('SQLite', () => []);

describe('management plane next to a --config folder', () => {
  it('serves the management API over the store the folder was imported into', async () => {
    const folder = new URL('../fixtures/apiops/sample', import.meta.url).pathname;
    const gh = await startGatehouseProcess(['--config', folder]);
    try {
      const where = printed(gh);
      assert.match(gh.stdout.join('\n'), /configuration folder: .*, imported into the store \(\d+ created/);
      const token = readFileSync(where.tokenFile, 'utf8').trim();
      const http = client(where.http, token, where.certificate);
      try {
        // The folder's APIs are in the store; no sample is seeded beside them.
        const listed = await http.call('GET', 'apis');
        assert.equal(listed.status, 200);
        const names = (listed.body.value as Array<{ name: string }>).map((a) => a.name);
        assert.ok(names.includes('basic-api'), names.join(', '));
        assert.ok(!names.includes('echo-api'), names.join(', '));
        assert.equal((await http.call('GET', 'apis', undefined, { authorization: 'Bearer nope-nope-nope-nope' })).status, 401);
      } finally {
        await http.dispatcher.close();
      }
    } finally {
      await gh.stop();
    }
  });
});

const schema = `gh_live_${process.pid}_${randomBytes(3).toString('hex')}`;
scenario('PostgreSQL', () => ['--store', `${pgUrl}?schema=${schema}`], {
  skip: pgSkip,
  cleanup: async () => {
    if (pgReason !== undefined) return;
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    try {
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await c.end();
    }
  },
});
