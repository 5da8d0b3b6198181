/**
 * The headers a proxy never forwards (RFC 9110 §7.6.1: Connection, the headers it lists, and the
 * hop-by-hop fields; RFC 9112 §9.6 Transfer-Encoding / TE; RFC 9110 §10.1.1 Expect), written out
 * here from the RFCs, not read from the module.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isHopByHop, namesListedByConnection } from '../../src/gateway/hop-by-hop.js';

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

  it('reads the names a Connection header lists, trimmed and lower-cased, into the given set', () => {
    assert.deepEqual([...namesListedByConnection('keep-alive, X-Listed ,Upgrade')], ['keep-alive', 'x-listed', 'upgrade']);
    assert.deepEqual([...namesListedByConnection('close')], ['close']);
    const into = new Set(['already']);
    const out = namesListedByConnection('X-A', into);
    assert.equal(out, into);
    assert.deepEqual([...out], ['already', 'x-a']);
  });
});
