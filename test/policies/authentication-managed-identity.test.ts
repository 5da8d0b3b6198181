/**
 * authentication-managed-identity, as a policy and as send-request's child, with the gateway's
 * real token cache asking a loopback endpoint that speaks the instance metadata protocol.
 */
import { TraceRecorder } from '../../src/pipeline/trace-recorder.js';
import { alwaysMaskedHeaders } from '../../src/pipeline/trace-masking.js';
import { secretQueryNames } from '../../src/gateway/redact-query.js';
import type { Section } from '../../src/pipeline/gateway-context.js';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BackendForwarder } from '../../src/gateway/backend-forwarder.js';
import { ManagedIdentityTokenCache } from '../../src/gateway/managed-identity/managed-identity-token-cache.js';
import { expectCompileError, runPolicies, useEchoBackend } from '../helpers/policy-harness.js';
import { startManagedIdentityServer, type ManagedIdentityServer } from '../helpers/managed-identity-server.js';

const echo = useEchoBackend();
let server: ManagedIdentityServer;
const forwarder = new BackendForwarder();
before(async () => {
  server = await startManagedIdentityServer();
});
after(async () => {
  await server.close();
  await forwarder.close();
});

/** A fresh cache per test, so each sees its own fetches. */
const identity = () => new ManagedIdentityTokenCache({ protocol: 'imds', url: server.url }, forwarder.outbound, { now: () => Date.now() });

const doc = (inbound: string, onError = '') =>
  `<policies><inbound>${inbound}</inbound><backend><forward-request /></backend><outbound /><on-error>${onError}</on-error></policies>`;
const lastError = '<return-response><set-status code="500" reason="Failed" /><set-body>@(context.LastError.Source + "|" + context.LastError.Reason + "|" + context.LastError.Message)</set-body></return-response>';
type Echoed = { headers: Record<string, string> };

describe('authentication-managed-identity', () => {
  it("sets Authorization: Bearer <token> on the backend request, replacing the caller's", async () => {
    server.failWith = undefined;
    const r = await runPolicies(
      { serviceUrl: echo.url, managedIdentity: identity(), api: doc('<authentication-managed-identity resource="https://graph.microsoft.com" />') },
      { headers: { authorization: 'Bearer from-the-caller' } },
    );
    assert.equal(r.status, 200);
    assert.match(r.json<Echoed>().headers.authorization!, /^Bearer token-\d+-https:\/\/graph\.microsoft\.com$/);
  });

  it('with output-token-variable-name puts the token in the variable and leaves the header alone', async () => {
    const r = await runPolicies(
      {
        serviceUrl: echo.url,
        managedIdentity: identity(),
        namedValues: { uai: 'c0ffee00-aaaa-bbbb-cccc-000000000001' },
        api: doc(`<authentication-managed-identity resource="@(&quot;https://storage.azure.com/&quot;)" client-id="{{uai}}" output-token-variable-name="msi-access-token" />
          <set-header name="X-Token" exists-action="override"><value>@((string)context.Variables["msi-access-token"])</value></set-header>`),
      },
      { headers: { authorization: 'Bearer from-the-caller' } },
    );
    const seen = r.json<Echoed>().headers;
    assert.equal(seen.authorization, 'Bearer from-the-caller');
    assert.match(seen['x-token']!, /^token-\d+-https:\/\/storage\.azure\.com\/-c0ffee00-aaaa-bbbb-cccc-000000000001$/);
    assert.equal(server.requests.at(-1)!.clientId, 'c0ffee00-aaaa-bbbb-cccc-000000000001');
  });

  it('a refused token fails the request into on-error (500 without one), unless ignore-error', async () => {
    server.failWith = 400;
    try {
      const handled = await runPolicies({ serviceUrl: echo.url, managedIdentity: identity(), api: doc('<authentication-managed-identity resource="api://x" />', lastError) });
      assert.equal(handled.status, 500);
      assert.match(handled.body, /^authentication-managed-identity\|TokenAcquisitionFailed\|Unable to acquire a token for resource 'api:\/\/x' as the system-assigned identity: .*Identity not found/);
      const plain = await runPolicies({ serviceUrl: echo.url, managedIdentity: identity(), api: doc('<authentication-managed-identity resource="api://x" />') });
      assert.equal(plain.status, 500);
      assert.equal(plain.json<{ message: string }>().message, 'Internal server error');
      const ignored = await runPolicies(
        {
          serviceUrl: echo.url,
          managedIdentity: identity(),
          api: doc('<authentication-managed-identity resource="api://x" output-token-variable-name="t" ignore-error="true" /><set-header name="X-Has" exists-action="override"><value>@(context.Variables.ContainsKey("t").ToString())</value></set-header>'),
        },
        { headers: { authorization: 'Bearer from-the-caller' } },
      );
      assert.equal(ignored.status, 200);
      assert.deepEqual([ignored.json<Echoed>().headers.authorization, ignored.json<Echoed>().headers['x-has']], ['Bearer from-the-caller', 'False']);
    } finally {
      server.failWith = undefined;
    }
  });

  it('without a managed identity it fails with Azure\'s "not enabled" message', async () => {
    const r = await runPolicies({ serviceUrl: echo.url, api: doc('<authentication-managed-identity resource="https://vault.azure.net" />', lastError) });
    assert.equal(r.body, 'authentication-managed-identity|ManagedIdentityNotEnabled|Managed service identity is not enabled for this service and authentication-managed-identity policy cannot be used.');
  });

  it("as send-request's child, authorizes the request send-request makes", async () => {
    const tokens = identity();
    const before = server.requests.length;
    const call = `<send-request mode="new" response-variable-name="kv" timeout="10">
        <set-url>${echo.url}/secrets/mycert</set-url><set-method>GET</set-method>
        <set-header name="Authorization" exists-action="override"><value>Basic overridden</value></set-header>
        <authentication-managed-identity resource="https://vault.azure.net" />
      </send-request>`;
    const answer = '<return-response><set-body>@(((IResponse)context.Variables["kv"]).Body.As&lt;JObject&gt;()["headers"]["authorization"].ToString())</set-body></return-response>';
    const first = await runPolicies({ managedIdentity: tokens, api: doc(call + answer) }, { headers: { authorization: 'Bearer caller' } });
    const second = await runPolicies({ managedIdentity: tokens, api: doc(call + answer) });
    assert.match(first.body, /^Bearer token-\d+-https:\/\/vault\.azure\.net$/);
    assert.equal(second.body, first.body, 'the cached token');
    assert.equal(server.requests.length - before, 1);
  });

  it('records the resource and where the token went in a traced request, never the token', async () => {
    const entries: Array<{ section: string; source: string; data: unknown }> = [];
    // The gateway's recorder, which masks the Authorization header the backend request carries (forward-request records it).
    const recorder = new TraceRecorder('managed', { headers: new Set(alwaysMaskedHeaders), query: new Set(secretQueryNames(null)), values: [] }, Date.now(), Date.now());
    const requestTrace = {
      record: (section: Section, source: string, data: Readonly<Record<string, unknown>> | string) => {
        entries.push({ section, source, data });
        recorder.record(section, source, data);
      },
    };
    const r = await runPolicies({ serviceUrl: echo.url, managedIdentity: identity(), requestTrace, api: doc('<authentication-managed-identity resource="https://vault.azure.net" client-id="uai-1" />') });
    const token = r.json<Echoed>().headers.authorization!.slice('Bearer '.length);
    const mine = entries.filter((e) => e.source === 'authentication-managed-identity');
    assert.deepEqual(mine, [{ section: 'inbound', source: 'authentication-managed-identity', data: { resource: 'https://vault.azure.net', clientId: 'uai-1', header: 'Authorization' } }]);
    assert.ok(!JSON.stringify(mine).includes(token));
    assert.ok(!JSON.stringify(recorder.document()).includes(token));
  });

  describe('refused at save time', () => {
    const cases: Array<[string, RegExp]> = [
      ['<authentication-managed-identity />', /required attribute 'resource'/],
      ['<authentication-managed-identity resource="" />', /'resource' attribute must not be empty/],
      ['<authentication-managed-identity resource="r" client-id="@(&quot;x&quot;)" />', /'client-id' attribute does not accept policy expressions/],
      ['<authentication-managed-identity resource="r" output-token-variable-name="@(&quot;x&quot;)" />', /does not accept policy expressions/],
      ['<authentication-managed-identity resource="r" ignore-error="maybe" />', /ignore-error/],
      ['<authentication-managed-identity resource="r" scope="x" />', /'scope' attribute is not declared/],
      ['<authentication-managed-identity resource="r"><value>x</value></authentication-managed-identity>', /takes no children/],
    ];
    for (const [xml, reason] of cases) {
      it(xml, () => assert.match(expectCompileError(doc(xml)).reason, reason));
    }
    it('outside inbound', () => {
      assert.match(
        expectCompileError('<policies><inbound /><outbound><authentication-managed-identity resource="r" /></outbound></policies>').reason,
        /not allowed in the 'outbound' section/,
      );
    });
  });
});
