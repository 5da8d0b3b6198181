/**
 * Expressions inside real policy documents: compiled by the real document compiler, run by the
 * real pipeline against the real echo backend, reading the `context` view built by
 * src/pipeline/expression-runtime.ts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { compileExpression, ExpressionEvaluationError } from '../../src/expressions/index.js';
import { bufferBodiesForExpressions, evaluateExpressionValue } from '../../src/pipeline/expression-runtime.js';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { MessageBody } from '../../src/pipeline/message-body.js';
import { HeaderMap } from '../../src/pipeline/header-map.js';
import { compileOnly, manualClock, runPolicies } from '../helpers/policy-harness.js';
import { rsaFixture } from './rsa-fixture.js';

let backend: EchoBackend;
before(async () => {
  backend = await startEchoBackend();
});
after(async () => {
  await backend.close();
});

interface Echo {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  bodySize: number;
}

const inbound = (policies: string): string => `<policies><inbound>${policies}</inbound><backend><forward-request /></backend><outbound /><on-error /></policies>`;

describe('expressions in the pipeline', () => {
  it('sets headers from request data, variables and typed values', async () => {
    const r = await runPolicies(
      {
        serviceUrl: backend.url,
        api: inbound(`
          <set-variable name="n" value="@(21 * 2)" />
          <set-variable name="greeting" value="hello" />
          <set-header name="X-N" exists-action="override"><value>@(((int)context.Variables["n"] + 1).ToString())</value></set-header>
          <set-header name="X-Greeting" exists-action="override"><value>@(context.Variables.GetValueOrDefault&lt;string&gt;("greeting").ToUpper())</value></set-header>
          <set-header name="X-Bool" exists-action="override"><value>@(context.Request.Headers.ContainsKey("X-Client"))</value></set-header>
          <set-header name="X-Client-Lower" exists-action="override"><value>@(context.Request.Headers.GetValueOrDefault("X-Client", "").ToLowerInvariant())</value></set-header>
          <set-header name="X-Query" exists-action="override"><value>@(context.Request.Url.Query.GetValueOrDefault("q", "none"))</value></set-header>
          <set-header name="X-Api" exists-action="override"><value>@($"{context.Api.Name}/{context.Operation.Id}/{context.Api.IsCurrentRevision}")</value></set-header>
        `),
      },
      { url: 'http://gw.test/api/items?q=a&q=b', headers: { 'X-Client': 'MiXeD' } },
    );
    assert.equal(r.status, 200);
    const echo = r.json<Echo>();
    assert.equal(echo.headers['x-n'], '43');
    assert.equal(echo.headers['x-greeting'], 'HELLO');
    assert.equal(echo.headers['x-bool'], 'True');
    assert.equal(echo.headers['x-client-lower'], 'mixed');
    assert.equal(echo.headers['x-query'], 'a,b');
    assert.equal(echo.headers['x-api'], 'Test API/test-op/True');
    // set-variable keeps the expression's type: an int, not a string.
    assert.equal(r.gw.variables.get('n'), 42);
  });

  it('checks for a client certificate, converts time zones and uses `using` in a real request', async () => {
    const r = await runPolicies(
      {
        serviceUrl: backend.url,
        api: inbound(`
          <choose>
            <when condition="@(context.Request.Certificate == null || !context.Request.Certificate.VerifyNoRevocation())">
              <set-header name="X-Cert" exists-action="override"><value>@(context.Request.Certificate?.Thumbprint ?? "none")</value></set-header>
            </when>
          </choose>
          <set-header name="X-Berlin" exists-action="override"><value>@(TimeZoneInfo.ConvertTimeBySystemTimeZoneId(new DateTime(2024, 7, 1, 12, 0, 0, DateTimeKind.Utc), "W. Europe Standard Time").ToString("HH:mm"))</value></set-header>
          <set-header name="X-Hash" exists-action="override"><value>@{ using (var sha = SHA256.Create()) { return sha.ComputeHash(Encoding.UTF8.GetBytes(context.Request.Method)).Length.ToString(); } }</value></set-header>
        `),
      },
      { url: 'http://gw.test/api/items' },
    );
    assert.equal(r.status, 200);
    const echo = r.json<Echo>();
    assert.equal(echo.headers['x-cert'], 'none');
    assert.equal(echo.headers['x-berlin'], '14:00');
    assert.equal(echo.headers['x-hash'], '32');
  });

  it('chooses a branch with an expression condition', async () => {
    const doc = inbound(`
      <choose>
        <when condition="@(context.Request.Method == &quot;POST&quot; &amp;&amp; context.Request.Headers.GetValueOrDefault(&quot;X-Mode&quot;, &quot;&quot;) == &quot;fast&quot;)">
          <set-header name="X-Branch" exists-action="override"><value>fast</value></set-header>
        </when>
        <otherwise>
          <set-header name="X-Branch" exists-action="override"><value>@("other-" + context.Request.Method.ToLower())</value></set-header>
        </otherwise>
      </choose>`);
    const fast = await runPolicies({ serviceUrl: backend.url, api: doc }, { method: 'POST', headers: { 'X-Mode': 'fast' }, body: '{}' });
    assert.equal(fast.json<Echo>().headers['x-branch'], 'fast');
    const other = await runPolicies({ serviceUrl: backend.url, api: doc }, { method: 'GET' });
    assert.equal(other.json<Echo>().headers['x-branch'], 'other-get');
  });

  it('reads the request body; preserveContent keeps it for the backend', async () => {
    const r = await runPolicies(
      {
        serviceUrl: backend.url,
        api: inbound(`<set-header name="X-Name" exists-action="override"><value>@(context.Request.Body.As&lt;JObject&gt;(preserveContent: true)["name"].ToString())</value></set-header>`),
      },
      { method: 'POST', body: '{"name":"widget"}', headers: { 'content-type': 'application/json' } },
    );
    const echo = r.json<Echo>();
    assert.equal(echo.headers['x-name'], 'widget');
    assert.equal(echo.body, '{"name":"widget"}');
  });

  it('consumes the request body when preserveContent is not set (APIM semantics)', async () => {
    const r = await runPolicies(
      {
        serviceUrl: backend.url,
        api: inbound(`<set-variable name="raw" value="@(context.Request.Body.As&lt;string&gt;())" />`),
      },
      { method: 'POST', body: 'payload' },
    );
    assert.equal(r.gw.variables.get('raw'), 'payload');
    assert.equal(r.json<Echo>().bodySize, 0);
  });

  it('turns an evaluation failure into ExpressionValueEvaluationFailure for on-error', async () => {
    const r = await runPolicies({
      serviceUrl: backend.url,
      api: `<policies>
        <inbound><set-header name="X-Bad" exists-action="override"><value>@(context.Request.Headers.GetValueOrDefault("X-Missing").Length.ToString())</value></set-header></inbound>
        <backend><forward-request /></backend>
        <outbound />
        <on-error>
          <return-response>
            <set-status code="418" reason="Caught" />
            <set-body>@(context.LastError.Source + "|" + context.LastError.Reason + "|" + context.LastError.Message + "|" + context.LastError.Section)</set-body>
          </return-response>
        </on-error>
      </policies>`,
    });
    assert.equal(r.status, 418);
    assert.equal(r.body, 'set-header|ExpressionValueEvaluationFailure|Expression evaluation failed. Object reference not set to an instance of an object.|inbound');
  });

  it('answers 500 Internal server error when no on-error handles an evaluation failure', async () => {
    const r = await runPolicies({
      serviceUrl: backend.url,
      api: inbound('<set-header name="X" exists-action="override"><value>@(int.Parse("not a number").ToString())</value></set-header>'),
    });
    assert.equal(r.status, 500);
    assert.equal(r.json<{ message: string }>().message, 'Internal server error');
    assert.equal(r.gw.lastError?.reason, 'ExpressionValueEvaluationFailure');
    assert.equal(r.gw.lastError?.message, 'Expression evaluation failed. Input string was not in a correct format.');
  });

  it('answers the expression-failure 500 instead of hanging on a catastrophic regex', { timeout: 60_000 }, async () => {
    const r = await runPolicies(
      {
        serviceUrl: backend.url,
        api: inbound('<set-header name="X" exists-action="override"><value>@(Regex.IsMatch(context.Request.Headers.GetValueOrDefault("X-Input", ""), @"^(\\w+\\s?)*$").ToString())</value></set-header>'),
      },
      { headers: { 'X-Input': 'a'.repeat(40) + '!' } },
    );
    assert.equal(r.status, 500);
    assert.equal(r.json<{ message: string }>().message, 'Internal server error');
    assert.equal(r.gw.lastError?.reason, 'ExpressionValueEvaluationFailure');
    assert.match(r.gw.lastError?.message ?? '', /^Expression evaluation failed\. The Regex engine has timed out while trying to match a pattern to an input string\./);
  });

  it('verifies an RSA signature of the body and reads the client IP address', async () => {
    const expr = `@{
      var rsa = RSA.Create();
      rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String("${rsaFixture.spki}"), out var read);
      var body = Encoding.UTF8.GetBytes(context.Request.Body.As&lt;string&gt;(preserveContent: true));
      var signature = Convert.FromBase64String(context.Request.Headers.GetValueOrDefault("X-Signature", ""));
      var ip = IPAddress.Parse(context.Request.IpAddress);
      return rsa.VerifyData(body, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1) + "/" + ip.AddressFamily + "/" + IPAddress.IsLoopback(ip);
    }`;
    const api = inbound(`<set-header name="X-Verified" exists-action="override"><value>${expr}</value></set-header>`);
    const good = await runPolicies({ serviceUrl: backend.url, api }, { method: 'POST', body: rsaFixture.message, headers: { 'X-Signature': rsaFixture.sigSha256Pkcs1 } });
    assert.equal(good.status, 200);
    assert.match(good.json<Echo>().headers['x-verified'] ?? '', /^True\/InterNetwork(V6)?\/True$/);
    assert.equal(good.json<Echo>().body, rsaFixture.message);
    const bad = await runPolicies({ serviceUrl: backend.url, api }, { method: 'POST', body: 'tampered', headers: { 'X-Signature': rsaFixture.sigSha256Pkcs1 } });
    assert.match(bad.json<Echo>().headers['x-verified'] ?? '', /^False\//);
  });

  it('reports expression compile errors against the policy element', () => {
    assert.throws(
      () => compileOnly(inbound('<set-header name="X" exists-action="override"><value>@(context.Request.Nope)</value></set-header>')),
      (err: unknown) => {
        assert.ok(err instanceof PolicyCompileError);
        assert.equal(err.element, 'value');
        assert.equal(err.reason, "'IRequest' does not contain a definition for 'Nope'");
        return true;
      },
    );
    assert.throws(
      () => compileOnly(inbound('<set-variable name="x" value="@(System.IO.File.ReadAllText(&quot;/etc/passwd&quot;))" />')),
      (err: unknown) => err instanceof PolicyCompileError && /is not supported within expressions/.test(err.reason),
    );
  });

  it('uses the gateway clock for DateTime.UtcNow and exposes product, subscription and user', async () => {
    const clock = manualClock(Date.UTC(2025, 6, 4, 12, 0, 0));
    const r = await runPolicies(
      {
        serviceUrl: backend.url,
        clock,
        productModel: { name: 'gold', displayName: 'Gold', subscriptionRequired: true, state: 'published', apis: [], groups: ['g1'] },
        subscription: { name: 's1', displayName: 'Sub 1', scope: '/', primaryKey: 'pk', secondaryKey: 'sk', state: 'active' },
        user: { name: 'u1', email: 'u@example.com', firstName: 'U', lastName: 'One', groups: ['developers'] },
        api: inbound(`
          <set-header name="X-Now" exists-action="override"><value>@(DateTime.UtcNow.ToString("o"))</value></set-header>
          <set-header name="X-Who" exists-action="override"><value>@(context.Product.Name + "/" + context.Subscription.Id + "/" + context.Subscription.Key + "/" + context.User.Email)</value></set-header>
          <set-header name="X-Elapsed" exists-action="override"><value>@(context.Elapsed.TotalMilliseconds)</value></set-header>
        `),
      },
      { headers: { 'Ocp-Apim-Subscription-Key': 'sk' } },
    );
    const echo = r.json<Echo>();
    assert.equal(echo.headers['x-now'], '2025-07-04T12:00:00.0000000Z');
    assert.equal(echo.headers['x-who'], 'Gold/s1/sk/u@example.com');
    assert.equal(echo.headers['x-elapsed'], '0');
  });
});

describe('values other policies keep in variables', () => {
  it('reads a stored response (as send-request keeps it) through IResponse', async () => {
    const stored = { statusCode: 201, statusReason: 'Created', headers: HeaderMap.fromObject({ 'x-csrf-token': 'tok' }), body: new MessageBody('{"access_token":"abc","expires_in":3600}') };
    const r = await runPolicies({
      serviceUrl: backend.url,
      variables: { tokenResponse: stored, ratio: 0.5, large: 5_000_000_000 },
      api: inbound(`
        <set-header name="X-Token" exists-action="override"><value>@((string)((IResponse)context.Variables["tokenResponse"]).Body.As&lt;JObject&gt;(preserveContent: true)["access_token"])</value></set-header>
        <set-header name="X-Expires" exists-action="override"><value>@(((int)((IResponse)context.Variables["tokenResponse"]).Body.As&lt;JObject&gt;()["expires_in"] / 60).ToString())</value></set-header>
        <set-header name="X-Status" exists-action="override"><value>@(((IResponse)context.Variables["tokenResponse"]).StatusCode)</value></set-header>
        <set-header name="X-Csrf" exists-action="override"><value>@(((IResponse)context.Variables["tokenResponse"]).Headers.GetValueOrDefault("x-csrf-token"))</value></set-header>
        <set-header name="X-Types" exists-action="override"><value>@((context.Variables["ratio"] is double) + "/" + (context.Variables["large"] is long))</value></set-header>
      `),
    });
    const echo = r.json<Echo>();
    assert.equal(echo.headers['x-token'], 'abc');
    assert.equal(echo.headers['x-expires'], '60');
    assert.equal(echo.headers['x-status'], '201');
    assert.equal(echo.headers['x-csrf'], 'tok');
    assert.equal(echo.headers['x-types'], 'True/True');
  });
});

describe('the corpus XML extraction snippet', () => {
  it('turns an XML response kept in a variable into a JObject', async () => {
    const xml = '<s:Envelope xmlns:s="urn:soap"><s:Body><r><conditionValue>true</conditionValue><value1>MESSAGE1_TEST1</value1><value3>MESSAGE1_TEST3</value3></r></s:Body></s:Envelope>';
    const stored = { statusCode: 200, statusReason: 'OK', headers: HeaderMap.fromObject({ 'content-type': 'text/xml' }), body: new MessageBody(xml) };
    // The expression of "Extracting multiple values from xml documents.policy.xml", verbatim.
    const r = await runPolicies({
      serviceUrl: backend.url,
      variables: { sendRequestResponse: stored },
      api: inbound(`
        <set-variable name="jsonResponse" value="@{

            var doc = XDocument.Parse(((IResponse)context.Variables["sendRequestResponse"]).Body.As<string>());

            var obj = new JObject();
            obj["conditionValue"] = doc.Descendants().Where(r=>r.Name.LocalName == "conditionValue").First().Value;
            obj["value1"] = doc.Descendants().Where(r=>r.Name.LocalName == "value1").First().Value;
            obj["value3"] = doc.Descendants().Where(r=>r.Name.LocalName == "value3").First().Value;

            return obj;

        }" />
        <choose>
          <when condition="@((bool)((JObject)context.Variables["jsonResponse"])["conditionValue"])">
            <set-header name="X-Value1" exists-action="override"><value>@((string)((JObject)context.Variables["jsonResponse"])["value1"])</value></set-header>
          </when>
        </choose>`),
    });
    assert.equal(r.json<Echo>().headers['x-value1'], 'MESSAGE1_TEST1');
  });
});

describe('docs/expressions.md', () => {
  it('runs the example at the top of the page', async () => {
    const page = readFileSync(new URL('../../docs/expressions.md', import.meta.url), 'utf8');
    const example = /```xml\n([\s\S]*?)```/.exec(page)![1]!;
    const r = await runPolicies(
      {
        serviceUrl: backend.url,
        productModel: { name: 'starter', displayName: 'Starter', subscriptionRequired: false, state: 'published', apis: [], groups: [] },
        api: inbound(example),
      },
      { method: 'POST', headers: { 'X-Client-Id': 'ACME' }, body: '{"id":1,"internalId":"x","costCenter":"y"}' },
    );
    assert.equal(r.json<Echo>().headers['x-caller'], 'acme');
    assert.equal(r.gw.variables.get('order'), '{"id":1}');
  });
});

describe('streaming bodies', () => {
  it('fails clearly when a body is still streaming, and works once buffered', async () => {
    const r = await runPolicies({ serviceUrl: backend.url });
    const gw = r.gw;
    // As in the inbound section: nothing was sent to the backend yet.
    gw.forwarded = false;
    gw.request.body = new MessageBody(Readable.from([Buffer.from('chunk-1;'), Buffer.from('chunk-2')]));
    const expression = compileExpression('@(context.Request.Body.As<string>(preserveContent: true))');
    assert.equal(expression.usesBody, true);
    assert.throws(() => evaluateExpressionValue(expression, gw, 'set-body'), (err: unknown) => {
      assert.ok(err instanceof ExpressionEvaluationError);
      assert.match(err.message, /request body is still streaming/);
      return true;
    });
    await bufferBodiesForExpressions(gw, 'set-variable');
    assert.equal(evaluateExpressionValue(expression, gw, 'set-body'), 'chunk-1;chunk-2');
    // A streamed response kept in a variable (as send-request keeps it) is buffered too.
    gw.variables.set('r', { statusCode: 200, statusReason: 'OK', headers: new HeaderMap(), body: new MessageBody(Readable.from([Buffer.from('{"ok":true}')])) });
    const fromVariable = compileExpression('@(((IResponse)context.Variables["r"]).Body.As<JObject>()["ok"].ToString())');
    await bufferBodiesForExpressions(gw, 'set-variable');
    assert.equal(evaluateExpressionValue(fromVariable, gw, 'set-header'), 'True');
    assert.equal(compileExpression('@(context.Request.Method)').usesBody, false);
  });
});
