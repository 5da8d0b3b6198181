import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectCompileError, runPolicies, useEchoBackend } from '../helpers/policy-harness.js';
import { startTestProxy, type ProxyLog, type RunningServer } from '../helpers/tls-test-servers.js';

const backend = useEchoBackend();
let proxyServer: RunningServer & { log: ProxyLog[] };
before(async () => {
  proxyServer = await startTestProxy(`Basic ${Buffer.from('px:secret').toString('base64')}`);
});
after(() => proxyServer.close());

describe('proxy', () => {
  it('sends the backend call through the proxy, with Basic credentials', async () => {
    const before = proxyServer.log.length;
    const r = await runPolicies({
      serviceUrl: backend.url,
      api: `<policies><inbound><proxy url="${proxyServer.url}" username="px" password="{{proxyPassword}}" /></inbound></policies>`,
      namedValues: { proxyPassword: 'secret' },
    });
    assert.equal(r.status, 200);
    const seen = proxyServer.log.slice(before);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.kind, 'absolute');
    assert.equal(seen[0]!.target, `${backend.url}/op`);
    // The backend never sees the proxy's credentials.
    assert.equal(r.json<{ headers: Record<string, string> }>().headers['proxy-authorization'], undefined);
  });

  it('without credentials the proxy answers 407, which the caller gets', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: `<policies><inbound><proxy url="${proxyServer.url}" /></inbound></policies>` });
    assert.equal(r.status, 407);
  });

  it('without the policy the call goes direct', async () => {
    const before = proxyServer.log.length;
    const r = await runPolicies({ serviceUrl: backend.url, api: '<policies><inbound /></policies>' });
    assert.equal(r.status, 200);
    assert.equal(proxyServer.log.length, before);
  });

  it('is refused with an https or relative URL, without url, and outside inbound', () => {
    assert.match(expectCompileError('<policies><inbound><proxy url="https://p.test:8080" /></inbound></policies>').reason, /must use http:/);
    assert.match(expectCompileError('<policies><inbound><proxy url="p.test:8080" /></inbound></policies>').reason, /not an (absolute|http)/);
    assert.match(expectCompileError('<policies><inbound><proxy /></inbound></policies>').reason, /'url' is missing/);
    assert.equal(expectCompileError('<policies><backend><proxy url="http://p.test:8080" /></backend></policies>').element, 'proxy');
  });
});
