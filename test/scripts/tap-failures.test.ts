import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectFailures } from '../../scripts/tap-failures.mjs';

const report = [
  '# Subtest: routing',
  '    # Subtest: finds the API',
  '    ok 1 - finds the API',
  '      ---',
  '      duration_ms: 1.2',
  '      ...',
  '    # Subtest: answers 404',
  '    not ok 2 - answers 404',
  '      ---',
  '      duration_ms: 3.4',
  "      location: '/repo/test/routing.test.ts:10:3'",
  "      error: 'Expected values to be strictly equal'",
  '      ...',
  '    1..2',
  'not ok 1 - routing',
  '  ---',
  "  error: '1 subtest failed'",
  '  ...',
  'ok 2 - storage',
  '  ---',
  '  duration_ms: 9',
  '  ...',
  '',
].join('\n');

describe('TAP failure collector (scripts/tap-failures.mjs)', () => {
  it('keeps each not-ok result with its YAML details, however the report is cut into chunks', () => {
    for (const size of [1, 7, 64, report.length]) {
      const failures = collectFailures();
      for (let i = 0; i < report.length; i += size) failures.add(report.slice(i, i + size));
      const blocks = failures.finish();
      assert.equal(blocks.length, 2, `chunk size ${size}`);
      assert.match(blocks[0]!, /^ {4}not ok 2 - answers 404\n/);
      assert.match(blocks[0]!, /location: '\/repo\/test\/routing\.test\.ts:10:3'/);
      assert.match(blocks[0]!, /\.\.\.$/);
      assert.doesNotMatch(blocks[0]!, /ok 1 - finds the API|duration_ms: 1\.2/);
      assert.match(blocks[1]!, /^not ok 1 - routing\n {2}---\n {2}error: '1 subtest failed'\n {2}\.\.\.$/);
    }
  });

  it('finds nothing in a report without failures, and keeps a block the report cut short', () => {
    const clean = collectFailures();
    clean.add('ok 1 - a\n  ---\n  ...\n');
    assert.deepEqual(clean.finish(), []);
    const cut = collectFailures();
    cut.add('not ok 1 - hung\n  ---\n  error: timed out');
    assert.deepEqual(cut.finish(), ['not ok 1 - hung\n  ---\n  error: timed out']);
  });
});
