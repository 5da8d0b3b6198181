/**
 * Keeps the soak run from rotting: `bench/soak.ts` for a few seconds into a temporary folder;
 * the record must be complete and show no unexpected error. Never checks a speed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const root = new URL('../..', import.meta.url).pathname;

describe('soak run (quick)', () => {
  it('runs mixed traffic with config changes, hang-ups and backend resets, and records the figures', () => {
    const out = mkdtempSync(join(tmpdir(), 'gatehouse-soak-test-'));
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench/soak.ts'), '--duration', '6', '--concurrency', '4', '--out', out], { cwd: root, encoding: 'utf8', timeout: 120_000 });
      assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
      const [file] = readdirSync(out);
      assert.ok(file?.startsWith('soak-'), `no record in ${out}`);
      const record = JSON.parse(readFileSync(join(out, file), 'utf8'));
      assert.equal(record.unexpectedErrors, 0, JSON.stringify(record.unexpectedExamples));
      assert.equal(record.processAlive, true);
      assert.ok(record.calls > 0 && record.counts.ok > 0, JSON.stringify(record.counts));
      assert.ok(record.configChanges >= 3, `config changes: ${record.configChanges}`);
      assert.ok(record.memory.startMb > 0 && record.memory.endMb > 0);
      assert.ok(Array.isArray(record.p99PerWindow) && record.p99PerWindow.length > 0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
