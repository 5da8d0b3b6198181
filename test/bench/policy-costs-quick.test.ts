/**
 * Keeps the per-policy cost case complete (issue 19 §3): every registered policy has a row or a
 * listed reason, and a tiny run of `bench/run.ts --cases policy-costs` prints a cost for every
 * row (each row checked by the case itself to answer, with the backend called as it says), lists
 * every unmeasured policy with its reason, and records the samples. Never checks a speed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { POLICY_COSTS_TABLE, UNMEASURED_TABLE } from '../../bench/policy-costs/policy-costs-case.js';
import { policyCostRows, UNMEASURED_POLICIES } from '../../bench/policy-costs/policy-cost-cases.js';
import { policyRegistry } from '../../src/policies/index.js';
import { numberAtStart, runBench, tableRows } from '../helpers/bench-report.js';

const rows = policyCostRows({ backendUrl: 'http://127.0.0.1:1', sideUrl: 'http://127.0.0.1:1/side', jwt: 'x.y.z', jwtKeyBase64: 'AAAA' });
const measured = new Set(rows.flatMap((r) => r.policies));
const unmeasured = [...policyRegistry.keys()].filter((name) => !measured.has(name));

describe('benchmark policy-costs case', () => {
  it('gives every registered policy a row or a reason, and names only registered policies', () => {
    for (const name of policyRegistry.keys()) assert.ok(measured.has(name) || UNMEASURED_POLICIES[name], `policy '${name}' has neither a cost row nor a reason`);
    for (const name of measured) assert.ok(policyRegistry.has(name), `row names '${name}', which is not a registered policy`);
    for (const name of Object.keys(UNMEASURED_POLICIES)) {
      assert.ok(policyRegistry.has(name), `a reason is listed for '${name}', which is not a registered policy`);
      assert.ok(!measured.has(name), `'${name}' has a row and a reason for having none`);
    }
    assert.equal(new Set(rows.map((r) => r.id)).size, rows.length, 'row ids are unique');
  });

  it('prints a cost for every row and a reason for every other policy, and records the samples', { timeout: 300_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'bench-policy-costs-'));
    try {
      const args = ['--quick', '--arms', 'direct', '--cases', 'policy-costs', '--rounds', '1', '--warmup', '0', '--no-install', '--out', out];
      const result = await runBench(args, { BENCH_POLICY_REQUESTS: '8' });
      assert.equal(result.code, 0, `harness failed:\n${result.stderr.slice(-6000)}\n${result.stdout}`);
      const costs = tableRows(result.stdout, POLICY_COSTS_TABLE);
      assert.deepEqual(costs.map((r) => r[0]), rows.map((r) => r.id));
      for (const row of costs) {
        assert.equal(row.length, 8, row.join(' | '));
        for (const cell of [row[3], row[4], row[5], row[6]]) assert.ok(Number.isFinite(numberAtStart(cell)), `no number in '${cell}': ${row.join(' | ')}`);
        assert.equal(row[7], '0', `failed requests in ${row[0]}`);
      }
      const reasons = tableRows(result.stdout, UNMEASURED_TABLE);
      assert.deepEqual(reasons.map((r) => r[0]).sort(), [...unmeasured].sort());
      for (const [name, reason] of reasons) assert.equal(reason, UNMEASURED_POLICIES[name!]);

      const files = readdirSync(out).filter((f) => f.endsWith('.json'));
      assert.equal(files.length, 1);
      const record = JSON.parse(readFileSync(join(out, files[0]!), 'utf8')) as { samples: Array<{ case: string; arm: string; metric: string }> };
      for (const row of rows) {
        for (const arm of [row.id, `empty:${row.id}`]) {
          for (const metric of ['cpu_ns_per_request', 'wall_ns_per_request']) {
            assert.ok(record.samples.some((s) => s.case === 'policy-costs' && s.arm === arm && s.metric === metric), `no ${metric} sample for ${arm}`);
          }
        }
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
