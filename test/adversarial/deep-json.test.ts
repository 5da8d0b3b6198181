/**
 * JSON nested 5,000 deep (issue 11, finding 10), against a real `gatehouse start` process:
 *
 * - the management API took such a body in a free-form field (an API's
 *   `authenticationSettings`) and answered 500 when the store's JSON.stringify overflowed the
 *   stack; it now refuses anything nested deeper than Json.NET's MaxDepth (64) with ARM's 400
 *   `InvalidRequestContent` before parsing, and keeps serving;
 * - in the gateway, `Body.As<JObject>()` already stops at MaxDepth 64 as Json.NET does: the
 *   expression fails, which Azure answers with its 500 body (reference §1.5), never a crash.
 *   That half passed before the fix too; it stays as a guard.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { apiInformation, writeApiopsFolder } from '../e2e/helpers/apiops-writer.js';
import { startGatehouseProcess, type GatehouseProcess } from '../e2e/helpers/gatehouse-process.js';

const TOKEN = 'deep-json-admin-token-0123456789';
const deepObject = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const deepArray = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

let echo: EchoBackend;
let gh: GatehouseProcess;
let management: string;

before(async () => {
  echo = await startEchoBackend();
  const policy = `<policies><inbound><base /><return-response><set-status code="200" /><set-body>@(context.Request.Body.As&lt;JObject&gt;().Count.ToString())</set-body></return-response></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;
  const config = writeApiopsFolder({
    'apis/j/apiInformation.json': apiInformation({ displayName: 'j', path: 'j', serviceUrl: echo.url, subscriptionRequired: false }),
    'apis/j/operations/read/operationInformation.json': {
      properties: { displayName: 'read', method: 'POST', urlTemplate: '/read', templateParameters: [] },
    },
    'apis/j/operations/read/policy.xml': policy,
  });
  gh = await startGatehouseProcess(['--config', config, '--admin-token', TOKEN]);
  const line = gh.stdout.find((l) => /management API \(http\): /.test(l));
  assert.ok(line, `no management URL printed:\n${gh.stdout.join('\n')}`);
  const base = /management API \(http\): (\S+)/.exec(line)![1]!;
  management = `${base}/subscriptions/s/resourceGroups/r/providers/Microsoft.ApiManagement/service/gatehouse`;
});

after(async () => {
  await gh?.stop();
  await echo?.close();
});

async function putApi(name: string, body: string): Promise<{ status: number; body: { error?: { code: string; message: string } } }> {
  const r = await fetch(`${management}/apis/${name}?api-version=2022-08-01`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body,
  });
  return { status: r.status, body: (await r.json()) as { error?: { code: string; message: string } } };
}

const apiBody = (name: string, authenticationSettings: string): string =>
  `{"properties":{"path":"${name}","displayName":"${name}","serviceUrl":"http://127.0.0.1:1","authenticationSettings":${authenticationSettings}}}`;

describe('the management API and JSON nested 5,000 deep', () => {
  for (const [name, value] of [
    ['objects', deepObject(5000)],
    ['arrays', deepArray(5000)],
  ] as const) {
    it(`refuses ${name} nested 5,000 deep with ARM's 400 InvalidRequestContent`, async () => {
      const answer = await putApi(`deep-${name}`, apiBody(`deep-${name}`, value));
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.equal(answer.body.error?.code, 'InvalidRequestContent');
      assert.match(answer.body.error!.message, /MaxDepth of 64/);
    });
  }

  it('reads a body at exactly the limit as usual, and keeps serving', async () => {
    // 64 levels in all: the body's own object and `properties` are two of them.
    const answer = await putApi('at-limit', apiBody('at-limit', deepObject(61)));
    assert.notEqual(answer.body.error?.code, 'InvalidRequestContent', JSON.stringify(answer.body));
    assert.ok(answer.status < 500, JSON.stringify(answer.body));
    const list = await fetch(`${management}/apis?api-version=2022-08-01`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(list.status, 200);
  });
});

describe('the gateway and JSON nested 5,000 deep in Body.As<JObject>()', () => {
  const post = (body: string) => fetch(`${gh.gatewayUrl}/j/read`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });

  it("fails the expression as Json.NET's MaxDepth does: Azure's 500 body, and the gateway keeps serving", async () => {
    const deep = await post(deepObject(5000));
    assert.equal(deep.status, 500);
    const body = (await deep.json()) as Record<string, unknown>;
    assert.equal(body.message, 'Internal server error');
    assert.equal(typeof body.activityId, 'string');
    const shallow = await post('{"a":1,"b":2}');
    assert.equal(shallow.status, 200);
    assert.equal(await shallow.text(), '2');
  });
});
