import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { compileOnly, runPolicies, useEchoBackend } from '../helpers/policy-harness.js';

const backend = useEchoBackend();

const inbound = (xml: string) => `<policies><inbound>${xml}</inbound><backend><forward-request /></backend></policies>`;
const basic = (user: string, pass: string) => 'Basic ' + Buffer.from(`${user}:${pass}`, 'utf8').toString('base64');

describe('authentication-basic', () => {
  it('sends Authorization: Basic base64(user:pass) to the backend', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: inbound('<authentication-basic username="testuser" password="testpassword" />') });
    assert.equal(r.status, 200);
    assert.equal(r.json<{ headers: Record<string, string> }>().headers.authorization, basic('testuser', 'testpassword'));
  });

  it("overrides the caller's Authorization header", async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url, api: inbound('<authentication-basic username="svc" password="p:w d" />') },
      { headers: { Authorization: 'Bearer caller-token' } },
    );
    assert.equal(r.json<{ headers: Record<string, string> }>().headers.authorization, basic('svc', 'p:w d'));
  });

  it('encodes UTF-8 credentials and resolves named values', async () => {
    const r = await runPolicies({
      serviceUrl: backend.url,
      namedValues: { user: 'jürgen', secret: 's3cr€t' },
      api: inbound('<authentication-basic username="{{user}}" password="{{secret}}" />'),
    });
    assert.equal(r.json<{ headers: Record<string, string> }>().headers.authorization, basic('jürgen', 's3cr€t'));
  });

  it('requires both attributes and is inbound only', () => {
    assert.throws(() => compileOnly(inbound('<authentication-basic username="u" />')), (e: unknown) => {
      assert.ok(e instanceof PolicyCompileError);
      assert.equal(e.reason, "The required attribute 'password' is missing.");
      return true;
    });
    assert.throws(() => compileOnly(inbound('<authentication-basic password="p" />')), /required attribute 'username'/);
    assert.throws(
      () => compileOnly('<policies><outbound><authentication-basic username="u" password="p" /></outbound></policies>'),
      /not allowed in the 'outbound' section/,
    );
  });
});
