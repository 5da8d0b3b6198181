/**
 * The import's progress line (issue 12 §4): silent when the work ends within the first
 * interval, then one update per interval with count and rate; rewritten in place on a
 * terminal and ended with a newline, one line per update elsewhere. A fake clock drives it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { progressLine } from '../../src/main/progress-line.js';

function harness(inPlace: boolean) {
  let now = 0;
  const written: string[] = [];
  const line = progressLine('importing', { unit: 'resources', write: (t) => written.push(t), inPlace, now: () => now, intervalMs: 1000 });
  return { line, written, advance: (ms: number) => void (now += ms) };
}

describe('progress line', () => {
  it('says nothing for work that ends within the first interval', () => {
    const { line, written, advance } = harness(true);
    for (let i = 1; i <= 100; i++) {
      advance(5);
      line.update(i, 100);
    }
    line.finish();
    assert.deepEqual(written, []);
  });

  it('prints count and rate once per interval, one line each when not on a terminal', () => {
    const { line, written, advance } = harness(false);
    advance(999);
    line.update(10, 3000);
    advance(1);
    line.update(410, 3000);
    advance(500);
    line.update(600, 3000);
    advance(500);
    line.update(1200, 3000);
    line.finish();
    assert.deepEqual(written, ['importing: 410/3000 resources (410/s)\n', 'importing: 1200/3000 resources (600/s)\n']);
  });

  it('rewrites one line on a terminal and ends it once', () => {
    const { line, written, advance } = harness(true);
    advance(2000);
    line.update(100, 200);
    line.finish();
    line.finish();
    assert.deepEqual(written, ['\rimporting: 100/200 resources (50/s)\x1b[K', '\n']);
  });
});
