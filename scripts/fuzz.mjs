#!/usr/bin/env node
// The long fuzz run: the property-based fuzzers of test/adversarial (fuzz-*.test.ts) with many
// more cases than `npm test` gives them and a fresh seed, printed first so a failure replays:
//
//   npm run fuzz                       20,000 cases per property, random seed
//   npm run fuzz -- --runs 100000 --seed 42 [filter…]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { randomInt } from 'node:crypto';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at === -1) return fallback;
  const value = args[at + 1];
  args.splice(at, 2);
  return value;
};
const runs = option('--runs', '20000');
const seed = option('--seed', String(randomInt(1, 2 ** 31 - 1)));
const root = new URL('..', import.meta.url).pathname;
const files = readdirSync(`${root}test/adversarial`)
  .filter((f) => f.startsWith('fuzz-') && f.endsWith('.test.ts'))
  .filter((f) => args.length === 0 || args.some((a) => f.includes(a)))
  .map((f) => `test/adversarial/${f}`);
console.log(`fuzz: FUZZ_SEED=${seed} FUZZ_RUNS=${runs} over ${files.join(', ')}`);
const started = Date.now();
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=0', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FUZZ_SEED: seed, FUZZ_RUNS: runs, GATEHOUSE_LOG_LEVEL: 'silent' },
});
console.log(`fuzz: seed ${seed}, ${runs} cases per property, ${Math.round((Date.now() - started) / 1000)} s, exit ${run.status}`);
process.exit(run.status ?? 1);
