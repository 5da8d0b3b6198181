import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileOnly, expectCompileError, runPolicies, useEchoBackend } from '../helpers/policy-harness.js';
import { useHeldBackend } from '../helpers/held-backend.js';
import { selfSignedCertificate, startHttpsBackend, startTestProxy, type RunningServer } from '../helpers/tls-test-servers.js';
import { unusedLoopbackUrl } from '../e2e/helpers/policy-e2e-support.js';

const echo = useEchoBackend();

const doc = (inbound: string, onError = '') =>
  `<policies><inbound>${inbound}</inbound><backend><base /></backend><outbound /><on-error>${onError}</on-error></policies>`;

/** Answers with what the stored response's expressions read, as headers of a return-response. */
const readBack = (variable: string) => `<return-response>
  <set-header name="X-Status" exists-action="override"><value>@(((IResponse)context.Variables["${variable}"]).StatusCode.ToString())</value></set-header>
  <set-header name="X-Type" exists-action="override"><value>@(((IResponse)context.Variables["${variable}"]).Headers.GetValueOrDefault("content-type", "none"))</value></set-header>
  <set-body>@(((IResponse)context.Variables["${variable}"]).Body.As&lt;JObject&gt;(preserveContent: true).ToString())</set-body>
</return-response>`;

const heldBackend = useHeldBackend();

describe('send-request', () => {
  it('sends a new request with its children and keeps the answer as an IResponse', async () => {
    const r = await runPolicies({
      api: doc(`<send-request mode="new" response-variable-name="reply" timeout="20">
          <set-url>${echo.url}/lookup?id=7</set-url>
          <set-method>POST</set-method>
          <set-header name="X-One" exists-action="override"><value>a</value><value>b</value></set-header>
          <set-header name="Content-Type" exists-action="override"><value>application/json</value></set-header>
          <set-body>@("{\\"from\\":\\"" + context.Request.Method + "\\"}")</set-body>
          <authentication-basic username="svc" password="p:w" />
        </send-request>${readBack('reply')}`),
    }, { headers: { 'x-caller': 'kept-out' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-status'), '200');
    assert.equal(r.headers.get('x-type'), 'application/json; charset=utf-8');
    const seen = r.json<{ method: string; url: string; headers: Record<string, string>; body: string }>();
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, '/lookup?id=7');
    assert.equal(seen.headers['x-one'], 'a,b');
    assert.equal(seen.headers['content-type'], 'application/json');
    assert.equal(seen.headers.authorization, `Basic ${Buffer.from('svc:p:w').toString('base64')}`);
    assert.equal(seen.headers['x-caller'], undefined, 'mode new starts from an empty request');
    assert.deepEqual(JSON.parse(seen.body), { from: 'GET' });
    assert.equal(r.gw.forwarded, false);
  });

  it('reads the stored response through GetValueOrDefault<IResponse> too', async () => {
    const r = await runPolicies({
      api: doc(`<send-request response-variable-name="r"><set-url>${echo.url}/status/201</set-url><set-method>GET</set-method></send-request>
        <return-response><set-status code="200" /><set-body>@(context.Variables.GetValueOrDefault&lt;IResponse&gt;("r").StatusCode + "/" + (string)context.Variables.GetValueOrDefault&lt;IResponse&gt;("r").Body.As&lt;JObject&gt;()["status"])</set-body></return-response>`),
    });
    assert.equal(r.body, '201/201');
  });

  it('mode copy sends the caller\'s method, headers and body, to set-url when given', async () => {
    const r = await runPolicies(
      {
        api: doc(`<send-request mode="copy" response-variable-name="copied"><set-url>${echo.url}/copy</set-url></send-request>${readBack('copied')}`),
      },
      { method: 'PUT', url: 'http://gateway.test/api/items?x=1', headers: { 'x-caller': 'yes' }, body: 'caller body' },
    );
    const seen = r.json<{ method: string; path: string; headers: Record<string, string>; body: string }>();
    assert.equal(seen.method, 'PUT');
    assert.equal(seen.path, '/copy');
    assert.equal(seen.headers['x-caller'], 'yes');
    assert.notEqual(seen.headers.host, 'gateway.test', "the caller's Host is not copied");
    assert.equal(seen.body, 'caller body');
    // The caller's body is still there for the backend.
    assert.equal(r.gw.request.body.bufferedContent?.toString(), 'caller body');
  });

  it('return-response answers with the stored response', async () => {
    const r = await runPolicies({
      api: doc(`<send-request response-variable-name="r"><set-url>${echo.url}/status/418</set-url><set-method>GET</set-method></send-request>
        <return-response response-variable-name="r" />`),
    });
    assert.equal(r.status, 418);
    assert.deepEqual(r.json(), { status: 418 });
  });

  it('times out: the request goes to on-error with LastError send-request/Timeout', async () => {
    const r = await runPolicies({
      api: doc(
        `<send-request response-variable-name="slow" timeout="1"><set-url>${heldBackend.current.url}/slow</set-url><set-method>GET</set-method></send-request><set-variable name="after" value="x" />`,
        '<return-response><set-status code="504" reason="Gateway Timeout" /><set-body>@(context.LastError.Source + "/" + context.LastError.Reason)</set-body></return-response>',
      ),
    });
    assert.equal(r.status, 504);
    assert.equal(r.body, 'send-request/Timeout');
    assert.equal(r.gw.lastError?.section, 'inbound');
    assert.equal(r.gw.lastError?.path, 'send-request[1]');
    assert.match(r.gw.lastError!.message, /timed out after 1 seconds/);
    assert.equal(r.gw.variables.has('after'), false);
    assert.equal(r.gw.variables.has('slow'), false);
  });

  it('without on-error a failure answers 500 with the gateway body', async () => {
    const r = await runPolicies({
      api: doc(`<send-request response-variable-name="r"><set-url>${await unusedLoopbackUrl()}/x</set-url><set-method>GET</set-method></send-request>`),
    });
    assert.equal(r.status, 500);
    assert.equal(r.json<{ message: string }>().message, 'Internal server error');
    assert.equal(r.gw.lastError?.reason, 'BackendConnectionFailure');
    assert.equal(r.gw.lastError?.source, 'send-request');
  });

  it('ignore-error="true": the variable is null and the pipeline goes on', async () => {
    const r = await runPolicies({
      api: doc(`<send-request response-variable-name="slow" timeout="1" ignore-error="true"><set-url>${heldBackend.current.url}/slow-ignored</set-url><set-method>GET</set-method></send-request>
        <return-response><set-body>@(context.Variables["slow"] == null ? "null" : "set")</set-body></return-response>`),
    });
    assert.equal(r.status, 200);
    assert.equal(r.body, 'null');
    assert.equal(r.gw.variables.get('slow'), null);
    assert.equal(r.gw.lastError, null);
  });

  it('a response larger than the buffering limit fails the policy', async () => {
    const r = await runPolicies({
      api: doc(`<send-request response-variable-name="big"><set-url>${echo.url}/bytes/5000</set-url><set-method>GET</set-method></send-request>`),
      maxBufferedBodyBytes: 1000,
    });
    assert.equal(r.status, 500);
    assert.equal(r.gw.lastError?.reason, 'ResponseBodyTooLarge');
  });

  it('an expression URL that is not absolute http fails at run time, not with a crash', async () => {
    const r = await runPolicies({
      api: doc(`<send-request response-variable-name="r"><set-url>@("ftp://" + "x")</set-url><set-method>GET</set-method></send-request>`),
    });
    assert.equal(r.status, 500);
    assert.match(r.gw.lastError!.message, /not an http or https URL/);
  });
});

describe('send-request on the backend transports: proxy and TLS', () => {
  let proxy: Awaited<ReturnType<typeof startTestProxy>>;
  let https: RunningServer;
  before(async () => {
    proxy = await startTestProxy();
    https = await startHttpsBackend(await selfSignedCertificate('localhost', { ips: ['127.0.0.1'] }));
  });
  after(async () => {
    await proxy.close();
    await https.close();
  });

  it('sends a plain-http call to the proxy in absolute form, with its credentials', async () => {
    const r = await runPolicies({
      api: doc(`<send-request response-variable-name="r"><set-url>${echo.url}/via-proxy</set-url><set-method>GET</set-method>
        <proxy url="${proxy.url}" username="pu" password="pp" /></send-request>${readBack('r')}`),
    });
    assert.equal(r.headers.get('x-status'), '200');
    assert.equal(r.json<{ path: string }>().path, '/via-proxy');
    assert.deepEqual(proxy.log.at(-1), { kind: 'absolute', target: `${echo.url}/via-proxy`, proxyAuthorization: `Basic ${Buffer.from('pu:pp').toString('base64')}` });
  });

  it('refuses a certificate that does not validate, through a CONNECT tunnel too', async () => {
    const direct = await runPolicies({
      api: doc(`<send-request response-variable-name="r"><set-url>${https.url}/secure</set-url><set-method>GET</set-method></send-request>`),
    });
    assert.equal(direct.gw.lastError?.reason, 'BackendConnectionFailure');
    assert.match(direct.gw.lastError!.message, /certificate/);
    const tunnelled = await runPolicies({
      api: doc(`<send-request response-variable-name="r"><set-url>${https.url}/secure</set-url><set-method>GET</set-method><proxy url="${proxy.url}" /></send-request>`),
    });
    assert.equal(tunnelled.gw.lastError?.reason, 'BackendConnectionFailure');
    assert.match(tunnelled.gw.lastError!.message, /certificate chain is not trusted/);
    assert.deepEqual(proxy.log.at(-1), { kind: 'connect', target: `127.0.0.1:${https.port}`, proxyAuthorization: undefined });
  });
});

describe('send-request validation', () => {
  const cases: Array<[string, RegExp]> = [
    ['<send-request response-variable-name="r"><set-method>GET</set-method></send-request>', /'set-url' element is required/],
    ['<send-request response-variable-name="r"><set-url>http://x.test/</set-url></send-request>', /'set-method' element is required/],
    ['<send-request><set-url>http://x.test/</set-url><set-method>GET</set-method></send-request>', /required attribute 'response-variable-name'/],
    ['<send-request response-variable-name="r"><set-url>/relative</set-url><set-method>GET</set-method></send-request>', /not an absolute URL/],
    ['<send-request response-variable-name="r"><set-url>http://x.test/</set-url><set-method>G T</set-method></send-request>', /not a valid HTTP method/],
    ['<send-request response-variable-name="r"><set-url>http://x.test/</set-url><set-url>http://y.test/</set-url><set-method>GET</set-method></send-request>', /may appear only once/],
    ['<send-request response-variable-name="r"><set-url>http://x.test/</set-url><set-method>GET</set-method><rewrite-uri template="/" /></send-request>', /'rewrite-uri' is not allowed in 'send-request'/],
    ['<send-request response-variable-name="r"><set-url>http://x.test/</set-url><set-method>GET</set-method><authentication-managed-identity resource="https://x" /><authentication-managed-identity resource="https://y" /></send-request>', /'authentication-managed-identity' may appear only once/],
    ['<send-request response-variable-name="r"><set-url>http://x.test/</set-url><set-method>GET</set-method><authentication-managed-identity resource="https://x" scope="s" /></send-request>', /'scope' attribute is not declared/],
    ['<send-request response-variable-name="r"><set-url>http://x.test/</set-url><set-method>GET</set-method><authentication-managed-identity /></send-request>', /required attribute 'resource'/],
    ['<send-request response-variable-name="r"><set-url>http://x.test/</set-url><set-method>GET</set-method><authentication-certificate thumbprint="ab" /></send-request>', /^Certificate with thumbprint 'ab' could not be found\.$/],
    ['<send-request response-variable-name="r"><set-url>http://x.test/</set-url><set-method>GET</set-method><proxy url="https://p.test:8443" /></send-request>', /must use http:/],
    ['<send-request response-variable-name="r"><set-url>http://x.test/</set-url><set-method>GET</set-method><set-header exists-action="override" /></send-request>', /required attribute 'name'/],
    ['<send-request response-variable-name="r" mode="other"><set-url>http://x.test/</set-url><set-method>GET</set-method></send-request>', /not one of: new, copy/],
    ['<send-request response-variable-name="r" timeout="-1"><set-url>http://x.test/</set-url><set-method>GET</set-method></send-request>', /at least 0/],
    ['<send-request response-variable-name="@(&quot;r&quot;)"><set-url>http://x.test/</set-url><set-method>GET</set-method></send-request>', /does not accept policy expressions/],
  ];
  for (const [xml, reason] of cases) {
    it(`refuses ${xml.slice(0, 110)}`, () => {
      assert.match(expectCompileError(doc(xml)).reason, reason);
    });
  }

  it('mode copy needs neither set-url nor set-method', () => {
    assert.doesNotThrow(() => compileOnly(doc('<send-request mode="copy" response-variable-name="r" />')));
  });
});
