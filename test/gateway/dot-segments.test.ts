// Dot segments in raw paths (RFC 3986 §5.2.4): removal with the other segments kept raw, the
// lowest depth a `..` reached, refusal above the root and of dot segments hidden behind
// separators a backend may decode; and the backend path check relative to the backend base.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveDotSegments, segmentCount } from '../../src/gateway/dot-segments.js';
import { resolveBackendPath } from '../../src/gateway/backend-url.js';

function resolved(path: string): { path: string; lowestDepth: number } {
  const r = resolveDotSegments(path);
  assert.ok(r.ok, `${path} was refused`);
  return { path: r.path, lowestDepth: r.lowestDepth };
}

describe('resolveDotSegments', () => {
  it('returns paths without dot segments unchanged, encodings and empty segments included', () => {
    for (const path of ['/', '/a/b.txt', '/a/%2Fb', '/a//b/', '/v1.2/x..y/...', '/a/%2e%2e%2e', '/a;rev=2/b']) {
      assert.deepEqual(resolved(path), { path, lowestDepth: Infinity });
    }
  });

  it('removes . and .. as RFC 3986 does, raw or percent-encoded in any case', () => {
    assert.deepEqual(resolved('/a/b/../c'), { path: '/a/c', lowestDepth: 1 });
    assert.deepEqual(resolved('/a/./b'), { path: '/a/b', lowestDepth: Infinity });
    assert.deepEqual(resolved('/a/%2e/b/%2E%2e/c%20d'), { path: '/a/c%20d', lowestDepth: 1 });
    assert.deepEqual(resolved('/a/b/.%2e/../c'), { path: '/c', lowestDepth: 0 });
    assert.deepEqual(resolved('/a/b/..'), { path: '/a/', lowestDepth: 1 });
    assert.deepEqual(resolved('/a/.'), { path: '/a/', lowestDepth: Infinity });
    assert.deepEqual(resolved('/a/..'), { path: '/', lowestDepth: 0 });
    // The worked example of RFC 3986 §5.2.4.
    assert.deepEqual(resolved('/a/b/c/./../../g'), { path: '/a/g', lowestDepth: 1 });
  });

  it('refuses a .. above the root', () => {
    for (const path of ['/..', '/../a', '/a/../../b', '/%2e%2e/a', '/a/%2E%2E/.%2e']) assert.equal(resolveDotSegments(path).ok, false, path);
  });

  it('refuses a dot segment hidden behind an encoded slash, a backslash or a path parameter', () => {
    for (const segment of ['..%2F..%2Fsecret', '..%2fx', 'a%2F..', 'a%2F.%2Fb', '%2e%2e%2Fx', '..%5Cx', '..\\x', '..;', '..;rev=1', '.;x']) {
      assert.equal(resolveDotSegments(`/items/${segment}`).ok, false, segment);
    }
  });

  it('says why it refuses', () => {
    assert.deepEqual(resolveDotSegments('/../a'), { ok: false, reason: "The path's '..' segments climb above its root." });
    assert.deepEqual(resolveDotSegments('/items/..%2Fx'), { ok: false, reason: "The path segment '..%2Fx' hides a dot segment behind an encoded separator." });
  });

  it('keeps segments where a separator sits next to dots that are no dot segment', () => {
    for (const segment of ['a%2Fb.txt', 'v1.2;rev=3', 'a.b%5Cc', '...%2Fx', 'x%2F...', '.a%2Fb', 'a.%2F.b']) {
      assert.deepEqual(resolveDotSegments(`/items/${segment}`), { ok: true, path: `/items/${segment}`, lowestDepth: Infinity }, segment);
    }
  });
});

describe('segmentCount', () => {
  it('counts the segments of a raw prefix', () => {
    assert.equal(segmentCount(''), 0);
    assert.equal(segmentCount('/'), 0);
    assert.equal(segmentCount('/files'), 1);
    assert.equal(segmentCount('files/v1/'), 2);
    assert.equal(segmentCount('/files;rev=2/v1'), 2);
  });
});

describe('resolveBackendPath', () => {
  it('resolves dot segments that stay under the backend base', () => {
    assert.deepEqual(resolveBackendPath('/public/docs/../x', '/public'), { ok: true, path: '/public/x', lowestDepth: 1 });
    assert.deepEqual(resolveBackendPath('/public/a/..', '/public/'), { ok: true, path: '/public/', lowestDepth: 1 });
  });

  it('refuses a .. that climbs into or above the base', () => {
    assert.equal(resolveBackendPath('/public/../secret', '/public').ok, false);
    assert.equal(resolveBackendPath('/api/v1/a/../../v2/x', '/api/v1').ok, false);
  });

  it('measures from the root when there is no base or the path left it', () => {
    assert.deepEqual(resolveBackendPath('/a/../b', undefined), { ok: true, path: '/b', lowestDepth: 0 });
    assert.deepEqual(resolveBackendPath('/elsewhere/../b', '/public'), { ok: true, path: '/b', lowestDepth: 0 });
    assert.equal(resolveBackendPath('/../b', undefined).ok, false);
  });
});
