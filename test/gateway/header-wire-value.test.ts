// Header values on the wire: a value Node could not write (a character above U+00FF) becomes its
// UTF-8 bytes; latin1 values (how Node reads a client's header bytes) and control characters stay.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { headerValueForWire } from '../../src/gateway/header-wire-value.js';

describe('headerValueForWire', () => {
  it('leaves ASCII and latin1 values unchanged', () => {
    for (const value of ['', 'plain text', 'caf\u00e9', '\u00c3\u00a9 (client UTF-8 bytes read as latin1)', 'a\u0001b']) {
      assert.equal(headerValueForWire(value), value);
    }
  });

  it('sends a value with characters above U+00FF as its UTF-8 bytes', () => {
    for (const value of ['\u2603', 'caf\u00e9 \u2603', '\u{1F600}', '\u65e5\u672c']) {
      assert.deepEqual(Buffer.from(headerValueForWire(value), 'latin1'), Buffer.from(value, 'utf8'));
    }
  });
});
