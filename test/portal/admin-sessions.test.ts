/** The admin console's session table: idle and absolute expiry, per-session CSRF tokens, sign-out. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createAdminSessions } from '../../src/portal/admin-sessions.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('admin console sessions', () => {
  it('keeps a session in use alive, and ends one left idle', () => {
    const c = clock();
    const sessions = createAdminSessions({ idleMs: 1000, absoluteMs: 10_000 }, c.now);
    const s = sessions.open(undefined);
    c.advance(999);
    assert.equal(sessions.touch(s.id)?.id, s.id);
    c.advance(999);
    assert.equal(sessions.touch(s.id)?.id, s.id, 'each use restarts the idle clock');
    c.advance(1000);
    assert.equal(sessions.touch(s.id), undefined);
    assert.equal(sessions.touch(s.id), undefined, 'an expired session stays gone');
  });

  it('ends a session at its absolute expiry even while it is in use', () => {
    const c = clock();
    const sessions = createAdminSessions({ idleMs: 1000, absoluteMs: 2500 }, c.now);
    const s = sessions.open(undefined);
    assert.equal(s.expiresAt, 1_000_000 + 2500);
    c.advance(900);
    assert.ok(sessions.touch(s.id));
    c.advance(900);
    assert.ok(sessions.touch(s.id));
    c.advance(700);
    assert.equal(sessions.touch(s.id), undefined);
  });

  it('gives each session its own random id and CSRF token, compared exactly', () => {
    const sessions = createAdminSessions();
    const a = sessions.open(undefined);
    const b = sessions.open(undefined);
    assert.notEqual(a.id, b.id);
    assert.notEqual(a.csrfToken, b.csrfToken);
    assert.notEqual(a.id, a.csrfToken);
    assert.match(a.id, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(sessions.csrfMatches(a, a.csrfToken), true);
    assert.equal(sessions.csrfMatches(a, b.csrfToken), false);
    assert.equal(sessions.csrfMatches(a, undefined), false);
    assert.equal(sessions.csrfMatches(a, ''), false);
    assert.equal(sessions.csrfMatches(a, a.csrfToken.slice(1)), false);
  });

  it('signs out one session only, and drops expired ones from the table', () => {
    const c = clock();
    const sessions = createAdminSessions({ idleMs: 1000, absoluteMs: 10_000 }, c.now);
    const a = sessions.open(undefined);
    const b = sessions.open(undefined);
    sessions.close(a.id);
    sessions.close('unknown');
    assert.equal(sessions.touch(a.id), undefined);
    assert.ok(sessions.touch(b.id));
    assert.equal(sessions.count(), 1);
    c.advance(1000);
    assert.equal(sessions.count(), 0);
  });
});
