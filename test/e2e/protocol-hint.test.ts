/**
 * An API saved with protocols the gateway does not listen on (issue 12 §3) is logged once per
 * save by the running `gatehouse start`, naming the API, its protocols and the listeners: a real
 * process, its management API over HTTP, `gatehouse import` into its data folder, and its log
 * read from stderr. Each step waits for the store change to be swapped in (the info line the
 * live configuration writes), so "no hint" is checked after the change was applied.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiInformation, openApi, writeApiopsFolder } from './helpers/apiops-writer.js';
import { runGatehouse, startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';

const service = '/subscriptions/0/resourceGroups/rg/providers/Microsoft.ApiManagement/service/gatehouse';
const token = 'protocol-hint-test-token';
const swapped = 'configuration changed in the store; new snapshot swapped in';

interface LogLine {
  msg: string;
  api?: string;
  protocols?: string[];
  listeners?: string[];
}

/** The JSON log lines the process wrote to stderr so far. */
function logLines(gh: GatehouseProcess): LogLine[] {
  return gh.stderr
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** Resolves once the log holds `count` lines matching `match`; the bound is generous (busy machine). */
function logged(gh: GatehouseProcess, match: (line: LogLine) => boolean, count: number, what: string): Promise<LogLine[]> {
  return new Promise((resolve, reject) => {
    const look = (): boolean => {
      const found = logLines(gh).filter(match);
      if (found.length < count) return false;
      gh.child.stderr!.off('data', look);
      clearTimeout(timer);
      resolve(found);
      return true;
    };
    const timer = setTimeout(() => {
      gh.child.stderr!.off('data', look);
      reject(new Error(`the log never held ${count} × ${what}:\n${gh.stderr.join('')}`));
    }, 20_000);
    // Registered after the helper's own listener, so the chunk is in gh.stderr when this runs.
    if (!look()) gh.child.stderr!.on('data', look);
  });
}

const hintFor = (api: string) => (line: LogLine) => line.api === api && /every call to it gets 404/.test(line.msg);

describe('a saved API whose protocols the gateway does not listen on is logged', () => {
  let gh: GatehouseProcess;
  let management: string;
  let data: string;
  let swaps = 0;

  /** Sends a management request and waits until the gateway swapped the change in. */
  async function save(method: string, path: string, properties: object): Promise<void> {
    const res = await fetch(`${management}${service}/${path}?api-version=2024-05-01`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': '*' },
      body: JSON.stringify({ properties }),
    });
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer().catch(() => undefined);
    swaps = (await logged(gh, (l) => l.msg === swapped, swaps + 1, `'${swapped}'`)).length;
  }

  before(async () => {
    data = mkdtempSync(join(tmpdir(), 'gatehouse-hint-'));
    gh = await startGatehouseProcess(['--data', data, '--admin-token', token], { env: { GATEHOUSE_LOG_LEVEL: 'info' } });
    management = /management API \(http\): (\S+)/.exec(gh.stdout.join('\n'))![1]!;
  });
  after(async () => {
    await gh?.stop();
  });

  it('names the API, its protocols and the listeners when an https-only API is created on an http-only gateway', async () => {
    await save('PUT', 'apis/orders', { displayName: 'Orders', path: 'orders', serviceUrl: 'http://127.0.0.1:9/orders' });
    const [hint] = await logged(gh, hintFor('orders'), 1, "a hint for 'orders'");
    assert.deepEqual(hint!.protocols, ['https']);
    assert.deepEqual(hint!.listeners, [gh.gatewayUrl]);
    assert.match(hint!.msg, /API 'orders' accepts only https but the gateway listens on http:\/\/127\.0\.0\.1:\d+/);
    assert.match(hint!.msg, /add "http" to its protocols, or serve HTTPS with --gateway-https-port/);
    // The sample API lists http: it never gets a hint.
    assert.equal(logLines(gh).filter(hintFor('echo-api')).length, 0);
  });

  it('does not repeat the hint when another resource is saved', async () => {
    await save('PUT', 'apis/inventory', { displayName: 'Inventory', path: 'inventory', protocols: ['http'] });
    assert.equal(logLines(gh).filter(hintFor('orders')).length, 1);
    assert.equal(logLines(gh).filter(hintFor('inventory')).length, 0);
  });

  it('repeats it when the API itself is saved again, and stops once http is added', async () => {
    await save('PATCH', 'apis/orders', { displayName: 'Orders (renamed)' });
    assert.equal(logLines(gh).filter(hintFor('orders')).length, 2);
    await save('PATCH', 'apis/orders', { protocols: ['http', 'https'] });
    await save('PATCH', 'apis/orders', { displayName: 'Orders' });
    assert.equal(logLines(gh).filter(hintFor('orders')).length, 2);
  });

  it('logs an https-only API that `gatehouse import` writes into the store', async () => {
    const folder = writeApiopsFolder({
      'apis/legacy/apiInformation.json': apiInformation({ displayName: 'Legacy', path: 'legacy', protocols: ['https'] }),
      'apis/legacy/specification.json': openApi([{ method: 'GET', path: '/items', operationId: 'list-items' }]),
    });
    const imported = await runGatehouse(['import', folder, '--data', data]);
    assert.equal(imported.code, 0, imported.stderr);
    const [hint] = await logged(gh, hintFor('legacy'), 1, "a hint for 'legacy'");
    assert.deepEqual(hint!.protocols, ['https']);
  });
});
