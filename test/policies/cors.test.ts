import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { compileOnly, runPolicies, type HarnessSetup, useEchoBackend } from '../helpers/policy-harness.js';

const backend = useEchoBackend();

const inbound = (xml: string) => `<policies><inbound>${xml}</inbound><backend><forward-request /></backend></policies>`;

/** Azure's own example from the cors page. */
const azureExample = `<cors allow-credentials="true">
  <allowed-origins>
    <origin>http://localhost:8080/</origin>
    <origin>http://example.com/</origin>
  </allowed-origins>
  <allowed-methods preflight-result-max-age="300">
    <method>GET</method><method>POST</method><method>PATCH</method><method>DELETE</method>
  </allowed-methods>
  <allowed-headers>
    <header>x-zumo-installation-id</header><header>x-zumo-application</header><header>x-zumo-version</header>
    <header>x-zumo-auth</header><header>content-type</header><header>accept</header>
  </allowed-headers>
  <expose-headers>
    <header>x-zumo-installation-id</header><header>x-zumo-application</header>
  </expose-headers>
</cors>`;

function cors(opts: { attrs?: string; origins?: string[]; methods?: string[] | null; maxAge?: number; headers?: string[]; expose?: string[] } = {}): string {
  const origins = (opts.origins ?? ['https://app.example']).map((o) => `<origin>${o}</origin>`).join('');
  const methods =
    opts.methods === null || opts.methods === undefined
      ? ''
      : `<allowed-methods${opts.maxAge !== undefined ? ` preflight-result-max-age="${opts.maxAge}"` : ''}>${opts.methods.map((m) => `<method>${m}</method>`).join('')}</allowed-methods>`;
  const headers = (opts.headers ?? ['content-type']).map((h) => `<header>${h}</header>`).join('');
  const expose = opts.expose ? `<expose-headers>${opts.expose.map((h) => `<header>${h}</header>`).join('')}</expose-headers>` : '';
  return `<cors ${opts.attrs ?? ''}><allowed-origins>${origins}</allowed-origins>${methods}<allowed-headers>${headers}</allowed-headers>${expose}</cors>`;
}

/** A preflight as a browser sends it; the matched operation is the GET/PUT… one, not OPTIONS. */
function preflight(setup: HarnessSetup, origin: string, method: string, requestHeaders?: string) {
  const headers: Record<string, string> = { Origin: origin, 'Access-Control-Request-Method': method };
  if (requestHeaders !== undefined) headers['Access-Control-Request-Headers'] = requestHeaders;
  return runPolicies({ serviceUrl: backend.url, operationModel: { method }, ...setup }, { method: 'OPTIONS', headers });
}

function assertEmpty200WithoutCors(r: Awaited<ReturnType<typeof runPolicies>>) {
  assert.equal(r.status, 200);
  assert.equal(r.body, '');
  assert.equal(r.gw.forwarded, false, 'the backend must not be called');
  for (const name of ['Access-Control-Allow-Origin', 'Access-Control-Allow-Methods', 'Access-Control-Allow-Credentials']) {
    assert.equal(r.headers.get(name), undefined, name);
  }
}

describe('cors preflight', () => {
  // Azure's service saves a cors without allowed-headers (Microsoft's page says it is required),
  // and Azure's own AI gateway labs deploy one: it allows no request header.
  it('without allowed-headers, answers a preflight that asks for no header, and not one that asks for any', async () => {
    const document = inbound('<cors allow-credentials="false"><allowed-origins><origin>*</origin></allowed-origins><allowed-methods><method>POST</method></allowed-methods></cors>');
    const plain = await preflight({ api: document }, 'https://app.example', 'POST');
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get('Access-Control-Allow-Origin'), '*');
    assert.equal(plain.headers.get('Access-Control-Allow-Headers'), undefined);
    const asking = await preflight({ api: document }, 'https://app.example', 'POST', 'content-type');
    assertEmpty200WithoutCors(asking);
  });

  it("answers Azure's example preflight itself with every Access-Control header", async () => {
    const r = await preflight({ api: inbound(azureExample) }, 'http://example.com', 'PATCH', 'content-type, x-zumo-auth');
    assert.equal(r.status, 200);
    assert.equal(r.body, '');
    assert.equal(r.gw.forwarded, false);
    assert.equal(r.headers.get('Access-Control-Allow-Origin'), 'http://example.com');
    assert.equal(r.headers.get('Access-Control-Allow-Credentials'), 'true');
    assert.equal(r.headers.get('Access-Control-Allow-Methods'), 'PATCH');
    assert.equal(r.headers.get('Access-Control-Allow-Headers'), 'content-type,x-zumo-auth');
    assert.equal(r.headers.get('Access-Control-Max-Age'), '300');
    assert.equal(r.headers.get('Vary'), 'Origin');
  });

  it('matches origins by scheme, host and port with default ports', async () => {
    const api = inbound(cors({ origins: ['http://localhost:8080/', 'https://example.com', 'http://plain.example'] }));
    for (const origin of ['http://localhost:8080', 'https://example.com', 'https://EXAMPLE.com:443', 'http://plain.example:80']) {
      const r = await preflight({ api }, origin, 'GET');
      assert.equal(r.headers.get('Access-Control-Allow-Origin'), origin, origin);
    }
    for (const origin of ['http://localhost:8081', 'http://example.com', 'https://example.com:8443', 'https://sub.example.com', 'null']) {
      assertEmpty200WithoutCors(await preflight({ api }, origin, 'GET'));
    }
  });

  it('allows only GET and POST when allowed-methods is absent, any method with *', async () => {
    const api = inbound(cors());
    assert.equal((await preflight({ api }, 'https://app.example', 'POST')).headers.get('Access-Control-Allow-Methods'), 'POST');
    assertEmpty200WithoutCors(await preflight({ api }, 'https://app.example', 'PUT'));
    const star = inbound(cors({ methods: ['*'] }));
    assert.equal((await preflight({ api: star }, 'https://app.example', 'PURGE')).headers.get('Access-Control-Allow-Methods'), 'PURGE');
    const listed = inbound(cors({ methods: ['put'] }));
    assert.equal((await preflight({ api: listed }, 'https://app.example', 'PUT')).headers.get('Access-Control-Allow-Methods'), 'PUT');
  });

  it('requires every requested header to be allowed, case-insensitively, or *', async () => {
    const api = inbound(cors({ headers: ['Content-Type', 'X-Trace'] }));
    assert.equal(
      (await preflight({ api }, 'https://app.example', 'GET', 'x-trace,content-type')).headers.get('Access-Control-Allow-Headers'),
      'x-trace,content-type',
    );
    assertEmpty200WithoutCors(await preflight({ api }, 'https://app.example', 'GET', 'x-trace, authorization'));
    const star = inbound(cors({ headers: ['*'] }));
    assert.equal((await preflight({ api: star }, 'https://app.example', 'GET', 'authorization')).headers.get('Access-Control-Allow-Headers'), 'authorization');
  });

  it('answers * for any origin without credentials, and sends Max-Age only when configured', async () => {
    const r = await preflight({ api: inbound(cors({ origins: ['*'], methods: ['GET'] })) }, 'https://anywhere.example', 'GET');
    assert.equal(r.headers.get('Access-Control-Allow-Origin'), '*');
    assert.equal(r.headers.get('Access-Control-Allow-Credentials'), undefined);
    assert.equal(r.headers.get('Access-Control-Max-Age'), undefined);
    assert.equal(r.headers.get('Vary'), undefined);
    const zero = await preflight({ api: inbound(cors({ methods: ['GET'], maxAge: 0 })) }, 'https://app.example', 'GET');
    assert.equal(zero.headers.get('Access-Control-Max-Age'), '0');
  });

  it('runs only the cors policies on a preflight, wherever they are in inbound', async () => {
    const api = inbound(
      '<check-header name="X-Key" failed-check-httpcode="401" failed-check-error-message="no key" ignore-case="true" />' +
        cors() +
        '<authentication-basic username="u" password="p" />',
    );
    const r = await preflight({ api }, 'https://app.example', 'GET');
    assert.equal(r.status, 200);
    assert.equal(r.gw.lastError, null);
    assert.equal(r.headers.get('Access-Control-Allow-Origin'), 'https://app.example');
  });

  it('terminate-unmatched-request defaults to true: an unmatched preflight gets an empty 200', async () => {
    assertEmpty200WithoutCors(await preflight({ api: inbound(cors()) }, 'https://evil.example', 'GET'));
    assertEmpty200WithoutCors(await preflight({ api: inbound(cors({ attrs: 'terminate-unmatched-request="true"' })) }, 'https://evil.example', 'GET'));
  });

  it('terminate-unmatched-request=false hands an unmatched preflight to the next cors in inbound', async () => {
    const setup: HarnessSetup = {
      global: inbound(cors({ origins: ['https://portal.example'] })),
      api: inbound(cors({ attrs: 'terminate-unmatched-request="false"', origins: ['https://app.example'] }) + '<base />'),
    };
    const own = await preflight(setup, 'https://app.example', 'GET');
    assert.equal(own.headers.get('Access-Control-Allow-Origin'), 'https://app.example');
    const next = await preflight(setup, 'https://portal.example', 'GET');
    assert.equal(next.headers.get('Access-Control-Allow-Origin'), 'https://portal.example');
    assertEmpty200WithoutCors(await preflight(setup, 'https://other.example', 'GET'));
  });

  it('with terminate=true the first cors decides even when a later one would match', async () => {
    const setup: HarnessSetup = {
      global: inbound(cors({ origins: ['https://portal.example'] })),
      api: inbound(cors({ origins: ['https://app.example'] }) + '<base />'),
    };
    assertEmpty200WithoutCors(await preflight(setup, 'https://portal.example', 'GET'));
  });

  it('ends an unmatched preflight with an empty 200 when no later cors exists', async () => {
    const api = inbound(cors({ attrs: 'terminate-unmatched-request="false"' }));
    assertEmpty200WithoutCors(await preflight({ api }, 'https://evil.example', 'GET'));
  });

  it('leaves an explicit OPTIONS operation to the pipeline (no preflight handling)', async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url, api: inbound(cors()) },
      { method: 'OPTIONS', headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET' } },
    );
    assert.equal(r.gw.forwarded, true);
    assert.equal(r.json<{ method: string }>().method, 'OPTIONS');
    assert.equal(r.headers.get('Access-Control-Allow-Origin'), 'https://app.example');
  });
});

describe('cors on actual requests', () => {
  it('adds Allow-Origin, Allow-Credentials, Expose-Headers and Vary to the backend response', async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url, api: inbound(cors({ attrs: 'allow-credentials="true"', expose: ['x-request-id', 'x-total'] })) },
      { headers: { Origin: 'https://app.example' } },
    );
    assert.equal(r.status, 200);
    assert.equal(r.json<{ path: string }>().path, '/op');
    assert.equal(r.headers.get('Access-Control-Allow-Origin'), 'https://app.example');
    assert.equal(r.headers.get('Access-Control-Allow-Credentials'), 'true');
    assert.equal(r.headers.get('Access-Control-Expose-Headers'), 'x-request-id,x-total');
    assert.equal(r.headers.get('Vary'), 'Origin');
    assert.equal(r.headers.get('Access-Control-Allow-Methods'), undefined, 'preflight-only header');
  });

  it('sends * for a wildcard origin without credentials and no Vary', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: inbound(cors({ origins: ['*'] })) }, { method: 'POST', headers: { Origin: 'null' }, body: 'x' });
    assert.equal(r.headers.get('Access-Control-Allow-Origin'), '*');
    assert.equal(r.headers.get('Access-Control-Allow-Credentials'), undefined);
    assert.equal(r.headers.get('Vary'), undefined);
  });

  it('adds nothing to requests without Origin', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: inbound(cors()) });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('Access-Control-Allow-Origin'), undefined);
    assert.equal(r.gw.forwarded, true);
  });

  it('terminates an unmatched simple GET or HEAD with an empty 200 by default', async () => {
    for (const method of ['GET', 'HEAD']) {
      const r = await runPolicies({ serviceUrl: backend.url, api: inbound(cors()) }, { method, headers: { Origin: 'https://evil.example' } });
      assertEmpty200WithoutCors(r);
    }
  });

  it('lets an unmatched request proceed without CORS headers when terminate is false, and any unmatched non-GET', async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url, api: inbound(cors({ attrs: 'terminate-unmatched-request="false"' })) },
      { headers: { Origin: 'https://evil.example' } },
    );
    assert.equal(r.gw.forwarded, true);
    assert.equal(r.headers.get('Access-Control-Allow-Origin'), undefined);
    const post = await runPolicies({ serviceUrl: backend.url, api: inbound(cors()) }, { method: 'POST', headers: { Origin: 'https://evil.example' }, body: '{}' });
    assert.equal(post.gw.forwarded, true);
    assert.equal(post.headers.get('Access-Control-Allow-Origin'), undefined);
  });

  it('puts CORS headers on error responses too', async () => {
    const api = inbound(cors() + '<check-header name="X-Key" failed-check-httpcode="401" failed-check-error-message="no key" ignore-case="true" />');
    const r = await runPolicies({ serviceUrl: backend.url, api }, { headers: { Origin: 'https://app.example' } });
    assert.equal(r.status, 401);
    assert.deepEqual(r.json(), { statusCode: 401, message: 'no key' });
    assert.equal(r.headers.get('Access-Control-Allow-Origin'), 'https://app.example');
  });

  it('applies only the first matching cors across scopes', async () => {
    const r = await runPolicies(
      {
        serviceUrl: backend.url,
        global: inbound(cors({ origins: ['*'], expose: ['x-global'] })),
        api: inbound(cors({ expose: ['x-api'] }) + '<base />'),
      },
      { headers: { Origin: 'https://app.example' } },
    );
    assert.equal(r.headers.get('Access-Control-Allow-Origin'), 'https://app.example');
    assert.equal(r.headers.get('Access-Control-Expose-Headers'), 'x-api');
  });

  it('appends Origin to an existing Vary header from the backend response', async () => {
    const api = `<policies><inbound>${cors()}</inbound><backend><forward-request /></backend>
      <outbound><set-header name="Vary" exists-action="override"><value>Accept-Encoding</value></set-header></outbound></policies>`;
    const r = await runPolicies({ serviceUrl: backend.url, api }, { headers: { Origin: 'https://app.example' } });
    assert.equal(r.headers.get('Vary'), 'Accept-Encoding, Origin');
  });
});

describe('cors configuration', () => {
  const bad = (xml: string, reason: RegExp) =>
    assert.throws(() => compileOnly(inbound(xml)), (e: unknown) => e instanceof PolicyCompileError && reason.test(e.reason));

  it('refuses * with allow-credentials=true, as Azure does', () => {
    bad(cors({ attrs: 'allow-credentials="true"', origins: ['*'] }), /'\*' origin cannot be used when allow-credentials is true/);
    compileOnly(inbound(cors({ attrs: 'allow-credentials="false"', origins: ['*'] })));
  });

  it('requires allowed-origins, and at least one entry in each list given', () => {
    bad('<cors><allowed-headers><header>a</header></allowed-headers></cors>', /'allowed-origins' element is required/);
    bad('<cors><allowed-origins><origin>*</origin></allowed-origins><allowed-headers /></cors>', /At least one 'header' element is required in 'allowed-headers'/);
    bad('<cors><allowed-origins /><allowed-headers><header>a</header></allowed-headers></cors>', /At least one 'origin'/);
    bad(cors({ methods: [] }), /At least one 'method'/);
    bad('<cors><allowed-origins><origin>*</origin></allowed-origins><allowed-headers><header>a</header></allowed-headers><expose-headers /></cors>', /At least one 'header' element is required in 'expose-headers'/);
  });

  it('rejects malformed origins, unknown elements and attributes', () => {
    bad(cors({ origins: ['example.com'] }), /origin 'example\.com' is not valid/);
    bad(cors({ origins: ['ftp://example.com'] }), /origin 'ftp:\/\/example\.com' is not valid/);
    bad('<cors><allowed-origins><origin>*</origin></allowed-origins><allowed-headers><header>a</header></allowed-headers><max-age>5</max-age></cors>', /'max-age' is not allowed/);
    bad(cors({ methods: ['GET'] }).replace('<allowed-methods>', '<allowed-methods max-age="5">'), /'max-age' attribute is not declared/);
    bad(cors({ methods: ['GET'], maxAge: -1 }), /must be at least 0/);
    bad(cors({ attrs: 'allow-credentials="yes"' }), /not a valid boolean/);
  });

  it('is once per section and inbound only', () => {
    bad(cors() + cors(), /may appear only once in a section/);
    assert.throws(() => compileOnly(`<policies><outbound>${cors()}</outbound></policies>`), /'outbound' section/);
  });
});
