import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectCompileError, runPolicies, useEchoBackend } from '../helpers/policy-harness.js';

const backend = useEchoBackend();
const api = '<policies><outbound><jsonp callback-parameter-name="cb" /></outbound></policies>';

describe('jsonp', () => {
  it('wraps the response in a call of the callback the caller names, served as JavaScript', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api }, { url: 'http://gateway.test/api/op?cb=app.render' });
    assert.equal(r.status, 200);
    const m = /^app\.render\((.*)\);$/s.exec(r.body);
    assert.ok(m, r.body);
    assert.equal((JSON.parse(m[1]!) as { method: string }).method, 'GET');
    assert.equal(r.headers.get('content-type'), 'application/javascript; charset=utf-8');
  });

  it('leaves the response as it is without the callback parameter', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api }, { url: 'http://gateway.test/api/op?other=1' });
    assert.equal(r.json<{ method: string }>().method, 'GET');
    assert.match(r.headers.get('content-type') ?? '', /json/);
  });

  it('refuses a callback that is not a JavaScript identifier with Azure\'s error', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api }, { url: 'http://gateway.test/api/op?cb=alert(document.cookie)//' });
    assert.equal(r.status, 400);
    assert.equal(r.gw.lastError?.reason, 'CallbackParameterInvalid');
    assert.equal(r.json<{ message: string }>().message, 'Value of callback parameter cb is not a valid JavaScript identifier.');
  });

  it('takes the parameter name from an expression', async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url, api: '<policies><outbound><jsonp callback-parameter-name="@(&quot;call&quot; + &quot;back&quot;)" /></outbound></policies>' },
      { url: 'http://gateway.test/api/op?callback=done' },
    );
    assert.match(r.body, /^done\(/);
  });

  it('is refused without its attribute, outside outbound and twice in a section', () => {
    assert.match(expectCompileError('<policies><outbound><jsonp /></outbound></policies>').reason, /callback-parameter-name/);
    assert.equal(expectCompileError('<policies><inbound><jsonp callback-parameter-name="cb" /></inbound></policies>').element, 'jsonp');
    assert.equal(expectCompileError('<policies><outbound><jsonp callback-parameter-name="cb" /><jsonp callback-parameter-name="cb" /></outbound></policies>').element, 'jsonp');
  });
});
