/**
 * HeaderMap's keying and joining: names match in any letter case, the first spelling is kept,
 * and `get` joins several values with a bare comma while a single value comes back as it is.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HeaderMap, joinHeaderValues } from '../../src/pipeline/header-map.js';

describe('HeaderMap', () => {
  it('appendLowerCased files a value under the same header as append does', () => {
    const headers = new HeaderMap();
    headers.appendLowerCased('x-trace', 'X-Trace', 'a');
    headers.append('x-TRACE', 'b');
    headers.appendLowerCased('accept', 'Accept', 'text/plain');
    assert.deepEqual([...headers], [['X-Trace', ['a', 'b']], ['Accept', ['text/plain']]]);
    assert.equal(headers.get('X-TRACE'), 'a,b');
  });

  it('get joins several values and returns a single one unchanged', () => {
    const headers = HeaderMap.fromRaw(['Host', 'example.test', 'X-List', 'v1', 'x-list', 'v2']);
    assert.equal(headers.get('host'), 'example.test');
    assert.equal(headers.get('X-List'), 'v1,v2');
    assert.equal(headers.get('absent'), undefined);
    headers.set('X-Empty', []);
    assert.equal(headers.get('x-empty'), '');
  });

  it('joinHeaderValues gives what get gives', () => {
    assert.equal(joinHeaderValues(['only']), 'only');
    assert.equal(joinHeaderValues(['a', 'b', 'c']), 'a,b,c');
    assert.equal(joinHeaderValues([]), '');
  });
});
