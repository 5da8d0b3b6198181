/**
 * The sealed cookie that carries an OpenID Connect sign-in from its start to the callback
 * (src/portal/oidc-flow-cookie.ts): it opens only with the key that sealed it, unchanged, for
 * 10 minutes, and is Secure when the portal is served over HTTPS.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FlowCookieSealer, flowCookieName } from '../../src/portal/oidc-flow-cookie.js';

const flow = { provider: 'aad', state: 'state-1', nonce: 'nonce-1', verifier: 'verifier-1' };
const asRequestHeader = (setCookie: string) => setCookie.split(';')[0]!;

describe('the sign-in flow cookie', () => {
  it('opens what it sealed, until 10 minutes have passed', () => {
    let now = 1_000_000;
    const sealer = new FlowCookieSealer(false, () => now);
    const cookie = asRequestHeader(sealer.setCookie(flow));
    assert.deepEqual(sealer.open(`other=1; ${cookie}`), flow);
    now += 10 * 60 * 1000 - 1;
    assert.deepEqual(sealer.open(cookie), flow);
    now += 1;
    assert.equal(sealer.open(cookie), undefined);
  });

  it('does not open a cookie sealed by another portal process, or none', () => {
    const cookie = asRequestHeader(new FlowCookieSealer(false).setCookie(flow));
    assert.equal(new FlowCookieSealer(false).open(cookie), undefined);
    assert.equal(new FlowCookieSealer(false).open(undefined), undefined);
    assert.equal(new FlowCookieSealer(false).open(`${flowCookieName}=not-sealed`), undefined);
  });

  it('is Secure over HTTPS only, and cleared with Max-Age=0', () => {
    assert.match(new FlowCookieSealer(true).setCookie(flow), /; Secure$/);
    assert.doesNotMatch(new FlowCookieSealer(false).setCookie(flow), /Secure/);
    assert.equal(new FlowCookieSealer(true).clearCookie(), `${flowCookieName}=; Path=/portal-api/signin/; HttpOnly; SameSite=Lax; Max-Age=0; Secure`);
  });
});
