/**
 * The client URL's fast path must read exactly as the WHATWG parser does: every host and path
 * below goes through both `clientRequestUrl` and `RequestUrl.parse` (what the gateway used for
 * every request before) and must give the same scheme, host, port, path, query and text, or
 * the same failure. Each case runs twice so the host cache answers the second time.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clientRequestUrl } from '../../src/gateway/client-url.js';
import { parseQueryString, RequestUrl } from '../../src/pipeline/request-url.js';

const hosts = [
  'api.example.com',
  'API.Example.COM',
  'api.example.com:8443',
  'api.example.com:80',
  'api.example.com:443',
  '127.0.0.1:8080',
  '127.1',
  '0x7f.0.0.1:9000',
  '0177.0.0.1',
  '2130706433',
  '[::1]:8080',
  '[0:0:0:0:0:0:0:1]',
  'localhost:00080',
  'example.com.',
  'xn--bcher-kva.example',
  'a..b',
  'host:99999',
  'host:',
  'user@host',
  'host/path',
  'bücher.example',
  'exa mple.com',
];

const paths = [
  '/',
  '/echo/resource',
  '/echo/a%20b/%7Ex',
  '/a/./b',
  '/a/../b',
  '/a/%2e%2E/b',
  '/a/.%2e',
  '/a/b/.',
  '/.well-known/x',
  '/a/.hidden/..x',
  '//double//slash',
  '/with space',
  '/quote"s',
  '/brace{x}',
  '/back\\slash',
  '/caf\u00e9',
  '/semi;rev=2/x',
  "/sub-delims!$&'()*+,;=:@",
  '/%zz/bad-escape',
  'relative/no-slash',
  '/frag#ment',
];

type Outcome = { url: { scheme: string; host: string; port: number; path: string; query: ReadonlyArray<[string, string]>; text: string } } | { error: string };

function describeUrl(make: () => RequestUrl): Outcome {
  try {
    const u = make();
    return { url: { scheme: u.scheme, host: u.host, port: u.port, path: u.path, query: u.query, text: u.toString() } };
  } catch (err) {
    return { error: (err as Error).constructor.name };
  }
}

describe('clientRequestUrl', () => {
  for (const scheme of ['http', 'https']) {
    it(`reads ${scheme} hosts and paths exactly as the URL parser does`, () => {
      const rawQuery = 'a=1&b=x%20y&a=2';
      const pairs = parseQueryString(rawQuery);
      for (const host of hosts) {
        for (const path of paths) {
          const expected = describeUrl(() => {
            const u = RequestUrl.parse(`${scheme}://${host}${path.startsWith('/') ? path : '/' + path}`);
            u.setRawQuery(rawQuery);
            return u;
          });
          for (let round = 0; round < 2; round++) {
            const actual = describeUrl(() => clientRequestUrl(scheme, host, path, rawQuery, pairs));
            assert.deepEqual(actual, expected, `${scheme}://${host}${path} (round ${round + 1})`);
          }
        }
      }
    });
  }

  it('keeps the query text as received and shares the parsed pairs', () => {
    const pairs = parseQueryString('x=1+2&y');
    const url = clientRequestUrl('http', 'gw.example', '/p', 'x=1+2&y', pairs);
    assert.equal(url.queryString, '?x=1+2&y');
    assert.equal(url.query, pairs);
    assert.deepEqual(url.query, [
      ['x', '1 2'],
      ['y', ''],
    ]);
  });
});
