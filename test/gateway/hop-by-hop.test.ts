/**
 * The headers a proxy never forwards (RFC 9110 §7.6.1: Connection, the headers it lists, and the
 * hop-by-hop fields; RFC 9112 §9.6 Transfer-Encoding / TE; RFC 9110 §10.1.1 Expect), written out
 * here from the RFCs, not read from the module.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { extraNamesListedByConnection, isHopByHop, isHopByHopLowerCase } from '../../src/gateway/hop-by-hop.js';

const neverForwarded = ['connection', 'expect', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'];
const endToEnd = ['host', 'content-type', 'content-length', 'authorization', 'accept', 'cookie', 'set-cookie', 'x-forwarded-for', 'trailers', 'connection-id', 'tee', 'via', 'ocp-apim-subscription-key', ''];

describe('hop-by-hop headers', () => {
  it('are never forwarded, in any letter case', () => {
    for (const name of neverForwarded) {
      assert.equal(isHopByHop(name), true, name);
      assert.equal(isHopByHop(name.toUpperCase()), true, name.toUpperCase());
      assert.equal(isHopByHop(name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase())), true, `${name} title-cased`);
    }
  });

  it('end-to-end headers and near-miss names are forwarded', () => {
    for (const name of endToEnd) assert.equal(isHopByHop(name), false, name);
  });

  it('the lower-case variant agrees with isHopByHop on lower-cased names', () => {
    for (const name of neverForwarded) assert.equal(isHopByHopLowerCase(name), true, name);
    for (const name of endToEnd) assert.equal(isHopByHopLowerCase(name), false, name);
  });

  it('reads the end-to-end names a Connection header lists, trimmed and lower-cased, into the given set', () => {
    // The hop-by-hop names it lists are dropped anyway: only the others need a set.
    assert.deepEqual([...extraNamesListedByConnection('keep-alive, X-Listed ,Upgrade')!], ['x-listed']);
    assert.deepEqual([...extraNamesListedByConnection(' Close ')!], ['close']);
    assert.deepEqual([...extraNamesListedByConnection('X-One')!], ['x-one']);
    assert.equal(extraNamesListedByConnection('keep-alive'), undefined);
    assert.equal(extraNamesListedByConnection('Keep-Alive, Upgrade'), undefined);
    const into = new Set(['already']);
    const out = extraNamesListedByConnection('X-A, TE', into);
    assert.equal(out, into);
    assert.deepEqual([...out!], ['already', 'x-a']);
    assert.equal(extraNamesListedByConnection('te', into), into);
  });
});
