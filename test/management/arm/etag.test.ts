/**
 * Entity tags as the management API reads and writes them (RFC 9110 §8.8.3 and §13.1.1): the
 * quoted ETag header, and If-Match / If-None-Match in every form a client sends them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { etagHeader, etagMatches, parseMatchHeader } from '../../../src/management/arm/etag.js';

describe('ETag and If-Match', () => {
  it('quotes the stored tag in the ETag header', () => {
    assert.equal(etagHeader('AAAAAAAAB9g='), '"AAAAAAAAB9g="');
  });

  it('reads no condition from an absent or blank header', () => {
    assert.equal(parseMatchHeader(undefined), undefined);
    assert.equal(parseMatchHeader(''), undefined);
    assert.equal(parseMatchHeader('   '), undefined);
  });

  it('reads the quoted, bare and weak forms, lists and *', () => {
    assert.deepEqual(parseMatchHeader('"abc"'), ['abc']);
    assert.deepEqual(parseMatchHeader('abc'), ['abc']);
    assert.deepEqual(parseMatchHeader('W/"abc"'), ['abc']);
    assert.deepEqual(parseMatchHeader(' "a" , W/"b",c '), ['a', 'b', 'c']);
    assert.deepEqual(parseMatchHeader('*'), ['*']);
    assert.deepEqual(parseMatchHeader('"a",,"b"'), ['a', 'b']);
  });

  it('keeps what is inside the quotes as it is (a tag may contain W/ or quotes inside)', () => {
    assert.deepEqual(parseMatchHeader('"W/x"'), ['W/x']);
    assert.deepEqual(parseMatchHeader('"a"b"'), ['a"b']);
    assert.deepEqual(parseMatchHeader('"abc'), ['"abc']);
    assert.deepEqual(parseMatchHeader('"abc"x'), ['"abc"x'], 'quotes count only around the whole tag');
    assert.deepEqual(parseMatchHeader('w/"abc"'), ['w/"abc"'], 'the weak prefix is case-sensitive');
  });

  it('matches the stored tag exactly, or any tag for *', () => {
    assert.equal(etagMatches('abc', ['abc']), true);
    assert.equal(etagMatches('abc', ['x', 'abc']), true);
    assert.equal(etagMatches('abc', ['*']), true);
    assert.equal(etagMatches('abc', ['ABC']), false);
    assert.equal(etagMatches('abc', ['ab']), false);
    assert.equal(etagMatches('abc', []), false);
  });
});
