/** put-resource.ts's name rule shared by every kind: no control characters, not `.` or `..`. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { unsafeNameReason } from '../../../src/management/arm/put-resource.js';

describe('unsafeNameReason', () => {
  it('refuses C0, DEL and C1 control characters anywhere in a name', () => {
    for (const c of ['\u0000', '\t', '\n', '\r', '\u001f', '\u007f', '\u0085', '\u009f']) {
      for (const name of [`${c}a`, `a${c}b`, `a${c}`]) assert.match(unsafeNameReason(name) ?? '', /control characters/, JSON.stringify(name));
    }
  });

  it("refuses the dot segments '.' and '..' but not names that merely contain dots", () => {
    assert.match(unsafeNameReason('.') ?? '', /'\.' or '\.\.'/);
    assert.match(unsafeNameReason('..') ?? '', /'\.' or '\.\.'/);
    for (const name of ['...', '.a', 'a..b', 'v1.0', 'echo-api;rev=2', 'ünïcødé', 'a b']) assert.equal(unsafeNameReason(name), undefined, name);
  });
});
