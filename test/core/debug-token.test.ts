/** Debug tokens (src/core/debug-token.ts): Azure's shape, and nothing but the key's holder can make or alter one. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateDebugKey, readDebugToken, signDebugToken } from '../../src/core/debug-token.js';

const key = generateDebugKey();
const claims = { apiName: 'echo api', gatewayId: 'managed', issuedAt: Date.UTC(2026, 0, 2, 3, 4, 5, 678), expiresAt: Date.UTC(2026, 0, 2, 4, 4, 5) };

describe('debug tokens', () => {
  it("have Azure's fields (p, aid, ex, sn) and read back to what was signed", () => {
    const token = signDebugToken(claims, key);
    assert.match(token, /^p=tracing&aid=echo%20api&gw=managed&is=\d+&ex=20260102040405&sn=[A-Za-z0-9+/]+=*$/);
    assert.deepEqual(readDebugToken(token, key), claims);
  });

  it('are refused when signed with another key, altered, or malformed', () => {
    const token = signDebugToken(claims, key);
    assert.equal(readDebugToken(token, generateDebugKey()), undefined);
    assert.equal(readDebugToken(token.replace('aid=echo%20api', 'aid=other'), key), undefined);
    assert.equal(readDebugToken(token.replace('ex=20260102040405', 'ex=20990102040405'), key), undefined);
    assert.equal(readDebugToken(token.replace('gw=managed', 'gw=gw1'), key), undefined);
    assert.equal(readDebugToken(token.slice(0, -4), key), undefined);
    assert.equal(readDebugToken('p=tracing&aid=a1&ex=20230504000000&sn=ZdfxSJoCsOJE0/XXXX/8LchGl7gu/Q==', key), undefined);
    assert.equal(readDebugToken('', key), undefined);
    assert.equal(readDebugToken('x'.repeat(5000), key), undefined);
  });
});
