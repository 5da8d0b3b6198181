/**
 * C# tuples in policy expressions through a real `gatehouse start` process: a local function
 * returning a named tuple, deconstruction, tuples in a LINQ projection and tuple equality make a
 * `return-response` body; a deconstruction on a forwarded request sets a header the backend
 * receives; a size mismatch only found at run time gives Azure's 500 body and a message for
 * on-error; a tuple form Gatehouse does not support stops the configuration from loading.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { apiInformation, openApi, writeApiopsFolder } from './helpers/apiops-writer.js';
import { runGatehouse, startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { policies, recordBackendHits, setHeader, type BackendHit } from './helpers/policy-e2e-support.js';
import { checkBody, internalError } from './helpers/gateway-body.js';

const pairBody = `@{
  (string name, int count) Parse(string text) {
    var at = text.IndexOf('=');
    return (text.Substring(0, at), int.Parse(text.Substring(at + 1)));
  }
  var (name, count) = Parse(context.Request.Url.Query.GetValueOrDefault("pair", "none=0"));
  var last = new[] { 1, 2, 3 }.Select(n => (n, total: n * count)).Last();
  var same = (name, count) == ("alpha", 7);
  return name + ":" + count + ":" + last + ":" + last.total + ":" + same;
}`;
const mismatchBody = '@{ var f = new[] { 1 }.Select(x => (x, x)).First(); var (a, b, c) = f; return a.ToString(); }';

let backend: EchoBackend;
let hits: BackendHit[];
let gh: GatehouseProcess;

function api(name: string, operations: Array<[string, string]>, files: Record<string, string>): Record<string, string | object> {
  return {
    [`apis/${name}/apiInformation.json`]: apiInformation({ displayName: name, path: name, serviceUrl: backend.url, subscriptionRequired: false }),
    [`apis/${name}/specification.json`]: openApi(operations.map(([operationId, path]) => ({ method: 'GET', path, operationId }))),
    ...files,
  };
}

before(async () => {
  backend = await startEchoBackend();
  hits = recordBackendHits(backend);
  const config = writeApiopsFolder(api('tuples', [['pair', '/pair'], ['route', '/route'], ['mismatch', '/mismatch']], {
    'apis/tuples/operations/pair/policy.xml': policies({
      inbound: `<base /><return-response><set-status code="200" reason="OK" /><set-body>${pairBody}</set-body></return-response>`,
    }),
    'apis/tuples/operations/route/policy.xml': policies({
      inbound: `<base />${setHeader('x-route', 'override', '@{ var (verb, path) = (context.Request.Method, context.Request.Url.Path); return verb + " " + path; }')}`,
    }),
    'apis/tuples/operations/mismatch/policy.xml': policies({
      inbound: `<base /><return-response><set-status code="200" reason="OK" /><set-body>${mismatchBody}</set-body></return-response>`,
      onError: `<base />${setHeader('x-message', 'override', '@(context.LastError.Message)')}`,
    }),
  }));
  gh = await startGatehouseProcess(['--config', config, '--access-log', 'off']);
});

after(async () => {
  await gh?.stop();
  await backend?.close();
});

describe('tuples in policy expressions, end to end', () => {
  it('builds a response body with a tuple-returning local function, deconstruction, a LINQ projection and ==', async () => {
    const res = await fetch(`${gh.gatewayUrl}/tuples/pair?pair=alpha=7`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'alpha:7:(3, 21):21:True');
    const other = await fetch(`${gh.gatewayUrl}/tuples/pair?pair=beta=2`);
    assert.equal(await other.text(), 'beta:2:(3, 6):6:False');
  });

  it('sets a header on the forwarded request from a deconstructed tuple', async () => {
    const before = hits.length;
    const res = await fetch(`${gh.gatewayUrl}/tuples/route`);
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    assert.equal(hits.length, before + 1);
    // context.Request.Url is the backend URL, as in Azure (OriginalUrl keeps the API's path).
    assert.equal(hits[before]!.headers['x-route'], 'GET /route');
  });

  it('answers a deconstruction that does not fit at run time with Azure 500 body and the .NET message', async () => {
    const res = await fetch(`${gh.gatewayUrl}/tuples/mismatch`);
    assert.equal(res.status, 500);
    assert.equal(res.headers.get('x-message'), "Expression evaluation failed. Cannot deconstruct a tuple of '2' elements into '3' variables.");
    checkBody(await res.text(), internalError);
  });

  it('refuses to start with a tuple form Gatehouse does not support, naming the element and position', async () => {
    const config = writeApiopsFolder(api('refused', [['list', '/list']], {
      'apis/refused/operations/list/policy.xml': policies({
        inbound: `<base />${setHeader('x-list', 'override', '@{ var l = new List<(int, int)>(); return l.Count.ToString(); }')}`,
      }),
    }));
    const data = mkdtempSync(join(tmpdir(), 'gatehouse-tuples-'));
    const r = await runGatehouse(['start', '--gateway-port', '0', '--data', data, '--config', config]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /apis\/refused\/operations\/list\/policy\.xml: .*Error in element 'value' on line \d+, column \d+: Tuple types are supported in policy expressions only as the type of a local, a parameter or a local function result/);
  });
});
