/**
 * Keeps the scale cases of the benchmark from rotting: runs `bench/run.ts --quick` with the four
 * scale cases on a tiny configuration (20 APIs, 200 subscriptions, 1 s of churn, 20 swaps) and
 * checks the report is complete: every scale figure has a number, a verdict where the size allows
 * one, every detail table has its rows, and the JSON record holds the samples. Never checks a speed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findCommand } from '../../bench/harness/system-packages.js';
import { runBench, tableRows } from '../helpers/bench-report.js';

const root = new URL('../..', import.meta.url).pathname;
const inCi = process.env.CI === 'true';



const isNumber = (cell: string | undefined): boolean => /^-?\d+(?:\.\d+)?/.test(cell ?? '');

describe('benchmark scale cases, quick mode', () => {
  it('prints every scale figure and detail table and records the samples', { timeout: 600_000 }, async (t) => {
    if (!findCommand('wrk') && !inCi) {
      t.skip('wrk is not installed (Debian package wrk); the harness installs it in CI');
      return;
    }
    const out = mkdtempSync(join(tmpdir(), 'bench-scale-results-'));
    try {
      const args = ['--quick', '--arms', 'direct', '--cases', 'scale-snapshot,scale-throughput,scale-churn,scale-import', '--duration', '1', '--rounds', '1', '--warmup', '0', '--out', out];
      if (!inCi) args.push('--no-install');
      const env = { BENCH_SCALE_APIS: '20', BENCH_SCALE_SUBSCRIPTIONS: '200', BENCH_CHURN_SECONDS: '1', BENCH_SWAPS: '20' };
      const result = await runBench(args, env);
      assert.equal(result.code, 0, `harness failed:\n${result.stderr.slice(-6000)}\n${result.stdout}`);
      const report = result.stdout;

      const targets = new Map(tableRows(report, 'Targets').map((r) => [r[0]!, r]));
      const expected: Array<{ prefix: string; verdict: boolean }> = [
        // Measured at 20 APIs, not the target's size: a number, no verdict.
        { prefix: 'snapshot build, 10,000 APIs x 10 operations (time)', verdict: false },
        { prefix: 'snapshot build, 10,000 APIs x 10 operations (resident memory', verdict: false },
        { prefix: '10,000 APIs vs 1 API, requests per second (same request)', verdict: true },
        { prefix: '10,000 APIs vs 1 API, requests per second (spread over all APIs)', verdict: true },
        { prefix: 'config change every 100 ms for 1 s (in-process): failed requests', verdict: true },
        { prefix: 'config change every 100 ms (in-process): p99 churn / steady state', verdict: true },
        { prefix: 'config change every 100 ms for 1 s (sighup): failed requests', verdict: true },
        { prefix: 'config change every 100 ms (sighup): p99 churn / steady state', verdict: true },
        { prefix: 'memory growth across 20 swaps', verdict: true },
        { prefix: 'start --config import CPU time, 20 vs 2 APIs (10x the APIs)', verdict: true },
      ];
      for (const { prefix, verdict } of expected) {
        const row = [...targets.entries()].find(([name]) => name.startsWith(prefix))?.[1];
        assert.ok(row, `no target row '${prefix}' in:\n${report}`);
        assert.ok(isNumber(row[2]), `no measured value for '${prefix}': ${row.join(' | ')}`);
        if (verdict) assert.match(row[3]!, /^(yes|no)$/, `no verdict for '${prefix}'`);
        else assert.match(row[4]!, /not the target's size/);
      }

      const snapshot = tableRows(report, 'Scale: snapshot build');
      assert.equal(snapshot.length, 8);
      for (const row of snapshot) assert.ok(isNumber(row[1]), row.join(' | '));
      const throughput = tableRows(report, 'Scale: throughput');
      assert.equal(throughput.length, 3);
      for (const row of throughput) assert.ok(isNumber(row[1]) && isNumber(row[2]), row.join(' | '));
      const churn = tableRows(report, 'Scale: configuration churn');
      assert.equal(churn.length, 4);
      for (const row of churn) assert.ok(row.slice(1).every(isNumber), row.join(' | '));
      const imports = tableRows(report, 'Scale: start --config import');
      assert.deepEqual(imports.map((row) => row[0]), ['2 APIs, 2 subscriptions', '20 APIs, 20 subscriptions']);
      for (const row of imports) assert.ok(row.slice(1).every(isNumber), row.join(' | '));
      // Both churning gateways served the last change they were given.
      assert.equal(report.match(/the last change was served/g)?.length, 2, report);

      const files = readdirSync(out).filter((f) => f.endsWith('.json'));
      assert.equal(files.length, 1);
      const record = JSON.parse(readFileSync(join(out, files[0]!), 'utf8')) as { samples: Array<{ case: string }> };
      for (const id of ['scale-snapshot', 'scale-throughput', 'scale-churn', 'scale-import']) {
        assert.ok(record.samples.some((s) => s.case === id), `no samples of ${id} in the JSON record`);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
