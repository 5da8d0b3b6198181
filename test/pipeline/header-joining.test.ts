import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap } from '../../src/pipeline/header-map.js';
import { headerValuesForWire, isRepeatedHeader, wireHeaderList } from '../../src/pipeline/header-joining.js';

const repeated = [
  'User-Agent',
  'WWW-Authenticate',
  'Proxy-Authenticate',
  'Cookie',
  'Set-Cookie',
  'Warning',
  'Date',
  'Expires',
  'If-Modified-Since',
  'If-Unmodified-Since',
  'Last-Modified',
  'Retry-After',
];

describe('header joining', () => {
  it('joins several values with a bare comma', () => {
    assert.deepEqual(headerValuesForWire('X-List', ['v1', 'v2', 'v3']), ['v1,v2,v3']);
    assert.deepEqual(headerValuesForWire('Accept', ['a', 'b']), ['a,b']);
  });

  it('keeps a single value as is', () => {
    assert.deepEqual(headerValuesForWire('X-One', ['only']), ['only']);
    assert.deepEqual(headerValuesForWire('Set-Cookie', ['a=1']), ['a=1']);
    assert.deepEqual(headerValuesForWire('X-None', []), []);
  });

  it('repeats the standard headers whose values hold commas or dates, in any case', () => {
    for (const name of repeated) {
      assert.equal(isRepeatedHeader(name), true, name);
      assert.equal(isRepeatedHeader(name.toLowerCase()), true, name);
      assert.deepEqual(headerValuesForWire(name, ['one', 'two']), ['one', 'two'], name);
    }
    assert.equal(isRepeatedHeader('Cache-Control'), false);
  });

  it('builds a flat name/value list', () => {
    const headers = new HeaderMap();
    headers.set('X-List', ['a', 'b']);
    headers.set('Set-Cookie', ['c=1', 'd=2']);
    assert.deepEqual(wireHeaderList(headers), ['X-List', 'a,b', 'Set-Cookie', 'c=1', 'Set-Cookie', 'd=2']);
  });

  describe('on a real socket', () => {
    let server: Server;
    let port: number;
    before(async () => {
      server = createServer((_req, res) => {
        const headers = new HeaderMap();
        headers.set('X-List', ['v1', 'v2', 'v3']);
        headers.set('User-Agent', ['agent/1', 'agent/2']);
        headers.set('Set-Cookie', ['a=1', 'b=2']);
        res.writeHead(200, wireHeaderList(headers));
        res.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    after(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('sends joined lines and repeated lines as APIM does', async () => {
      const raw = await new Promise<string[]>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.rawHeaders));
        });
        req.on('error', reject);
        req.end();
      });
      const lines: Array<[string, string]> = [];
      for (let i = 0; i < raw.length; i += 2) lines.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
      assert.deepEqual(lines.filter(([n]) => n === 'x-list'), [['x-list', 'v1,v2,v3']]);
      assert.deepEqual(lines.filter(([n]) => n === 'user-agent'), [
        ['user-agent', 'agent/1'],
        ['user-agent', 'agent/2'],
      ]);
      assert.deepEqual(lines.filter(([n]) => n === 'set-cookie'), [
        ['set-cookie', 'a=1'],
        ['set-cookie', 'b=2'],
      ]);
    });
  });
});
