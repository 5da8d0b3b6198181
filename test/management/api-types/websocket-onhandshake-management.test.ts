/**
 * A WebSocket API's onHandshake through the management API, as Azure defines it: the operation
 * cannot be removed, its method and URL template cannot change, no other operation can be added,
 * and the policies onHandshake does not run are refused at API and operation scope (with the
 * element, line and column, or through a fragment changed later), while an HTTP API and the
 * global scope still take them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startManagement, type ManagementHarness } from '../arm/arm-harness.js';

let arm: ManagementHarness;
before(async () => {
  arm = await startManagement();
  const api = await arm.call('PUT', 'apis/chat', {
    body: { properties: { displayName: 'Chat', path: 'chat', type: 'websocket', protocols: ['wss'], serviceUrl: 'wss://echo.example.com/socket' } },
  });
  assert.ok(api.status === 200 || api.status === 201, api.text);
  const plain = await arm.call('PUT', 'apis/plain', { body: { properties: { displayName: 'Plain', path: 'plain', protocols: ['https'] } } });
  assert.ok(plain.status === 200 || plain.status === 201, plain.text);
});
after(() => arm.close());

function assertRefused(r: { status: number; text: string; body: any }, target: string, message: RegExp): void {
  assert.equal(r.status, 400, r.text);
  assert.equal(r.body.error.code, 'ValidationError');
  assert.equal(r.body.error.details[0].target, target, r.text);
  assert.match(r.body.error.details[0].message, message);
}

const handshake = (properties: Record<string, unknown>) => ({ body: { properties: { displayName: 'onHandshake', method: 'GET', urlTemplate: '/', ...properties } } });

describe('the onHandshake operation of a WebSocket API', () => {
  it('cannot be deleted', async () => {
    const r = await arm.call('DELETE', 'apis/chat/operations/onHandshake', { headers: { 'if-match': '*' } });
    assertRefused(r, 'name', /system operation of a WebSocket API and cannot be removed/);
    assert.equal((await arm.call('GET', 'apis/chat/operations/onHandshake')).status, 200);
  });

  it('refuses a change of method or URL template, naming the property', async () => {
    assertRefused(await arm.call('PUT', 'apis/chat/operations/onHandshake', handshake({ method: 'POST' })), 'method', /cannot be changed from 'GET'/);
    assertRefused(await arm.call('PATCH', 'apis/chat/operations/onHandshake', { headers: { 'if-match': '*' }, body: { properties: { urlTemplate: '/other' } } }), 'urlTemplate', /cannot be changed from '\/'/);
    const got = await arm.call('GET', 'apis/chat/operations/onHandshake');
    assert.equal(got.body.properties.method, 'GET');
    assert.equal(got.body.properties.urlTemplate, '/');
  });

  it('refuses any other operation', async () => {
    assertRefused(await arm.call('PUT', 'apis/chat/operations/send', handshake({ urlTemplate: '/send' })), 'name', /only the system operation 'onHandshake'/);
    const ops = await arm.call('GET', 'apis/chat/operations');
    assert.deepEqual(ops.body.value.map((o: { name: string }) => o.name), ['onHandshake']);
  });

  it('takes a new display name and description', async () => {
    const r = await arm.call('PUT', 'apis/chat/operations/onHandshake', handshake({ displayName: 'Open chat', description: 'Opens a chat connection.' }));
    assert.equal(r.status, 200, r.text);
    const got = await arm.call('GET', 'apis/chat/operations/onHandshake');
    assert.equal(got.body.properties.displayName, 'Open chat');
    assert.equal(got.body.properties.description, 'Opens a chat connection.');
  });

  it('still lets an HTTP API add and delete operations', async () => {
    const put = await arm.call('PUT', 'apis/plain/operations/send', handshake({ method: 'POST', urlTemplate: '/send' }));
    assert.equal(put.status, 201, put.text);
    assert.equal((await arm.call('DELETE', 'apis/plain/operations/send', { headers: { 'if-match': '*' } })).status, 200);
  });
});

describe('policies onHandshake does not run', () => {
  const policy = (inner: string) => ({ body: { properties: { format: 'xml', value: `<policies>\n  <inbound>\n    <base />\n    ${inner}\n  </inbound>\n</policies>` } } });

  it('are refused at onHandshake and API scope with element, line and column', async () => {
    const cases: Array<[string, string, string]> = [
      ['apis/chat/operations/onHandshake/policies/policy', '<set-body>hello</set-body>', 'set-body'],
      ['apis/chat/policies/policy', '<cors><allowed-origins><origin>*</origin></allowed-origins></cors>', 'cors'],
      ['apis/chat/policies/policy', '<choose><when condition="@(true)"><set-method>POST</set-method></when></choose>', 'set-method'],
    ];
    for (const [path, inner, element] of cases) {
      const r = await arm.call('PUT', path, policy(inner));
      assertRefused(r, element, new RegExp(`^Error in element '${element}' on line \\d+, column \\d+: Policy '${element}' is not supported on the onHandshake operation of a WebSocket API\\.$`));
      assert.equal((await arm.call('GET', path)).status, 404);
    }
  });

  it('are taken by an HTTP API and at global scope, and other policies by a WebSocket API', async () => {
    const plain = await arm.call('PUT', 'apis/plain/policies/policy', policy('<set-method>POST</set-method>'));
    assert.equal(plain.status, 201, plain.text);
    assert.equal((await arm.call('PUT', 'policies/policy', policy('<set-method>POST</set-method>'))).status, 201);
    const ok = await arm.call('PUT', 'apis/chat/operations/onHandshake/policies/policy', policy('<set-header name="x-chat" exists-action="override"><value>1</value></set-header>'));
    assert.equal(ok.status, 201, ok.text);
  });

  it('refuses a fragment change that would bring one into a WebSocket API, and keeps the fragment', async () => {
    const fragment = (inner: string) => ({ body: { properties: { format: 'xml', value: `<fragment>${inner}</fragment>` } } });
    const header = '<set-header name="x-frag" exists-action="override"><value>1</value></set-header>';
    assert.equal((await arm.call('PUT', 'policyFragments/shared', fragment(header))).status, 201);
    const uses = await arm.call('PUT', 'apis/chat/policies/policy', policy('<include-fragment fragment-id="shared" />'));
    assert.equal(uses.status, 201, uses.text);
    const r = await arm.call('PUT', 'policyFragments/shared', fragment('<set-method>POST</set-method>'));
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.error.details[0].target, 'apis/chat/policies/policy', r.text);
    assert.match(r.body.error.details[0].message, /Policy 'set-method' is not supported on the onHandshake operation of a WebSocket API\./);
    const kept = await arm.call('GET', 'policyFragments/shared');
    assert.match(kept.body.properties.value, /x-frag/);
  });
});
