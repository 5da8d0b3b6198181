/** The absolute form of a request target (RFC 9112 §3.2.2) routes like its origin form. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { originFormTarget } from '../../src/gateway/request-target.js';

describe('originFormTarget', () => {
  it('keeps the origin form as it is, dot segments and all', () => {
    for (const target of ['/', '/echo/resource?x=1', '/files/../secret.txt', '/a?next=http://b/c']) assert.equal(originFormTarget(target), target);
  });

  it('drops the scheme and authority of the absolute form, in any case, keeping path and query as sent', () => {
    assert.equal(originFormTarget('http://gateway.example/echo/resource?x=1'), '/echo/resource?x=1');
    assert.equal(originFormTarget('HTTPS://gateway.example:8443/echo/%2e%2e/x'), '/echo/%2e%2e/x');
    assert.equal(originFormTarget('http://user@[::1]:8080/a/b'), '/a/b');
  });

  it('gives an empty path as /', () => {
    assert.equal(originFormTarget('http://gateway.example'), '/');
    assert.equal(originFormTarget('http://gateway.example?x=1'), '/?x=1');
  });

  it('leaves other forms to the router, which finds no operation for them', () => {
    for (const target of ['*', 'ftp://host/a', 'gateway.example:443', 'http:/one-slash']) assert.equal(originFormTarget(target), target);
  });
});
