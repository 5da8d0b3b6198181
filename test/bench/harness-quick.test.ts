/**
 * Keeps the benchmark harness from rotting: runs `bench/run.ts --quick` in a tiny setting (1 s per
 * measurement, one round, two sizes) and checks that the report is complete: every requested arm
 * has a number for every size and latency metric, every target figure whose arms ran has a
 * measured ratio and a verdict, and the JSON record holds every sample. Never checks any speed.
 * Arms needing a download (nginx, the npm gateways) are skipped when absent, except in CI.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ARMS } from '../../bench/arms/index.js';
import { findCommand } from '../../bench/harness/system-packages.js';
import { runBench, tableRows } from '../helpers/bench-report.js';

const root = new URL('../..', import.meta.url).pathname;
const inCi = process.env.CI === 'true';
const SIZES = ['0B', '1KB'];
const NO_DOWNLOAD = ['direct', 'bare', 'gatehouse-routing', 'gatehouse-typical', 'gatehouse-cache-hit'];

function selectArms(): { run: string[]; skipped: string[] } {
  const run: string[] = [];
  const skipped: string[] = [];
  for (const arm of ARMS) {
    if (NO_DOWNLOAD.includes(arm.id) || inCi || (arm.available?.(root) ?? true)) run.push(arm.id);
    else skipped.push(arm.id);
  }
  return { run, skipped };
}

/** Issue 19's figure: the default's one worker per core against one worker. */
const coreWorkersFigure = /^Gatehouse typical set, \d+ workers \(one per core\) \/ 1 worker/;

const numberAtStart = (cell: string): number => Number(/^-?\d+(?:\.\d+)?/.exec(cell)?.[0] ?? NaN);

describe('benchmark harness, quick mode', () => {
  it('prints a complete table and writes the JSON record', { timeout: 600_000 }, async (t) => {
    if (!findCommand('wrk') && !inCi) {
      t.skip('wrk is not installed (Debian package wrk); the harness installs it in CI');
      return;
    }
    const { run: arms, skipped } = selectArms();
    if (skipped.length > 0) t.diagnostic(`skipped arms (not installed; CI installs them): ${skipped.join(', ')}`);
    const out = mkdtempSync(join(tmpdir(), 'bench-results-'));
    try {
      // The comparison cases only: the scale cases have their own test.
      const args = ['--quick', '--cases', 'throughput,latency', '--duration', '1', '--rounds', '1', '--warmup', '0', '--latency-duration', '1', '--sizes', SIZES.join(','), '--arms', arms.join(','), '--out', out];
      if (!inCi) args.push('--no-install');
      const result = await runBench(args);
      assert.equal(result.code, 0, `harness failed:\n${result.stderr.slice(-6000)}\n${result.stdout}`);
      const report = result.stdout;
      const labels = arms.map((id) => ARMS.find((a) => a.id === id)!.label);

      // Throughput: a number for every arm and size.
      const throughput = tableRows(report, 'Throughput');
      assert.deepEqual(throughput.map((r) => r[0]), labels);
      for (const row of throughput) {
        assert.equal(row.length, 1 + SIZES.length, `row ${row.join(' | ')}`);
        for (const cell of row.slice(1)) assert.ok(Number.isFinite(numberAtStart(cell)) && numberAtStart(cell) > 0, `throughput cell '${cell}' of ${row[0]}`);
      }

      // Latency: p50 and p99 for every arm, added latency for every arm but direct.
      const latency = tableRows(report, 'Latency');
      assert.deepEqual(latency.map((r) => r[0]), labels);
      for (const row of latency) {
        for (const cell of row.slice(1, 3)) assert.ok(Number.isFinite(numberAtStart(cell)), `latency cell '${cell}' of ${row[0]}`);
        if (row[0] !== ARMS.find((a) => a.id === 'direct')!.label) {
          for (const cell of row.slice(3, 5)) assert.ok(Number.isFinite(numberAtStart(cell)), `added latency '${cell}' of ${row[0]}`);
        }
      }

      // Targets: fifteen throughput ratios per size (the five, N workers vs 1, undici 7 vs 6, gateway process vs in-process, observed vs not, the three experiments, counters in Redis vs in-process, cache hit vs bare and vs routing) and two
      // latency figures per Gatehouse arm, each measured with a verdict when its arms ran, and
      // marked not run otherwise.
      const figures = tableRows(report, 'Targets');
      assert.equal(figures.length, 15 * SIZES.length + 2 * arms.filter((a) => a.startsWith('gatehouse')).length);
      const needs: Array<[RegExp, string[]]> = [
        [/^Gatehouse routing only \/ bare/, ['gatehouse-routing', 'bare']],
        [/^Gatehouse typical set \/ bare/, ['gatehouse-typical', 'bare']],
        [/^Gatehouse typical set \/ nginx/, ['gatehouse-typical', 'nginx']],
        [/^Gatehouse typical set \/ Express Gateway/, ['gatehouse-typical', 'express-gateway']],
        [/^Gatehouse typical set \/ fast-gateway/, ['gatehouse-typical', 'fast-gateway']],
        [coreWorkersFigure, ['gatehouse-typical-nw', 'gatehouse-typical']],
        [/^Gatehouse typical set, undici 7 \/ undici 6/, ['gatehouse-typical', 'gatehouse-typical-undici6']],
        [/^Gatehouse typical set, gateway process \/ in the start process/, ['gatehouse-typical', 'gatehouse-typical-inproc']],
        [/^Gatehouse typical set, access log and metrics on \/ off/, ['gatehouse-typical', 'gatehouse-typical-unobserved']],
        [/^Experiment: Gatehouse routing only, buffer-response false \/ bare/, ['gatehouse-routing-unbuffered', 'bare']],
        [/^Experiment: Gatehouse typical set unobserved, in the start process \/ bare/, ['gatehouse-typical-unobserved-inproc', 'bare']],
        [/^Experiment: Gatehouse typical set unobserved, in the start process \/ fast-gateway/, ['gatehouse-typical-unobserved-inproc', 'fast-gateway']],
        [/^Gatehouse typical set, counters in Redis \/ in-process/, ['gatehouse-typical-redis', 'gatehouse-typical']],
        [/^Gatehouse cache hit \/ bare/, ['gatehouse-cache-hit', 'bare']],
        [/^Gatehouse cache hit \/ Gatehouse routing/, ['gatehouse-cache-hit', 'gatehouse-routing']],
        [/^added p(50|99) latency vs direct/, ['direct']],
      ];
      for (const [name, target, measured, met, note] of figures) {
        const need = needs.find(([pattern]) => pattern.test(name!));
        assert.ok(need, `unexpected figure '${name}'`);
        assert.match(target!, /^(>=|<=) [\d.]+/);
        if (need[1].every((a) => arms.includes(a))) {
          assert.ok(Number.isFinite(numberAtStart(measured!)), `figure '${name}' has no number: '${measured}'`);
          assert.match(met!, /^(yes|no)$/, `figure '${name}'`);
        } else {
          assert.equal(measured, '–');
          assert.match(note!, /not run/);
        }
      }
      for (const size of SIZES) assert.ok(figures.some(([name]) => name!.endsWith(`(${size})`)), `no figure for ${size}`);
      // Issue 19's 1-vs-N figure, per size, naming this machine's N and saying the cores are shared.
      for (const size of SIZES) {
        const figure = figures.find(([name]) => coreWorkersFigure.test(name!) && name!.endsWith(`(${size})`));
        assert.ok(figure, `no N workers / 1 worker figure for ${size}`);
        assert.match(figure[0]!, new RegExp(`, ${availableParallelism()} workers \\(one per core\\)`));
        if (arms.includes('gatehouse-typical-nw')) assert.match(figure[4]!, new RegExp(`^shared cores: .* same ${availableParallelism()} core`));
      }
      assert.match(report, /access log on \(one JSON line per request/, "the report says the typical arm pays for the access log");

      // The JSON record: one file, every sample.
      const files = readdirSync(out);
      assert.equal(files.length, 1, `result files: ${files.join(', ')}`);
      assert.match(files[0]!, /^\d{4}-\d{2}-\d{2}-[0-9a-z]+-quick\.json$/);
      const record = JSON.parse(readFileSync(join(out, files[0]!), 'utf8')) as { samples: Array<{ case: string; metric: string }>; figures: unknown[]; machine: { cpuCount: number } };
      assert.equal(record.samples.filter((s) => s.case === 'throughput').length, arms.length * SIZES.length);
      assert.equal(record.samples.filter((s) => s.case === 'latency').length, arms.length * 2);
      assert.equal(record.figures.length, figures.length);
      assert.ok(record.machine.cpuCount > 0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
