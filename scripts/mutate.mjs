#!/usr/bin/env node
// Mutation testing (StrykerJS, command runner) of the modules where a silent change is a
// security or compatibility defect. Each module is mutated on its own and every mutant runs only
// the test files that cover that module, with Node's test runner (TypeScript through tsx).
//
//   npm run mutate                 every module in the table below
//   npm run mutate -- ip-filter    only the named modules
//
// Writes reports/mutation/<module>.json (Stryker's report, mutation-testing-report-schema) and
// reports/mutation/summary.md (the score table docs/testing.md quotes).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const reportDir = join(root, 'reports', 'mutation');

/** module name → the source files mutated and the test files every mutant runs. */
export const modules = {
  'hop-by-hop': {
    mutate: ['src/gateway/hop-by-hop.ts'],
    tests: ['test/gateway/hop-by-hop.test.ts'],
  },
  'path-normalisation': {
    mutate: ['src/gateway/backend-url.ts', 'src/gateway/dot-segments.ts', 'src/pipeline/backend-path.ts'],
    tests: ['test/gateway/backend-url.test.ts', 'test/gateway/dot-segments.test.ts'],
  },
  'ip-filter': {
    mutate: ['src/policies/ip-filter.ts', 'src/core/address-ranges.ts'],
    tests: ['test/policies/ip-filter.test.ts', 'test/core/address-ranges.test.ts'],
  },
  etag: {
    mutate: ['src/management/arm/etag.ts'],
    tests: ['test/management/arm/etag.test.ts'],
  },
  'subscription-keys': {
    mutate: ['src/gateway/subscriptions/*.ts'],
    // Not large-index.test.ts: building 100,000 subscriptions under Stryker's instrumentation
    // more than doubles every mutant's run, and the bucket collisions it meets by chance are
    // covered on purpose (keys that share a bucket) by subscription-index.test.ts.
    tests: [
      'test/gateway/subscriptions/extract-subscription-key.test.ts',
      'test/gateway/subscriptions/subscription-index.test.ts',
      'test/gateway/subscriptions/subscription-scope.test.ts',
    ],
  },
  counters: {
    mutate: ['src/store/memory-counter-store.ts'],
    tests: ['test/store/memory-counter-store.test.ts'],
  },
  'gateway-errors': {
    mutate: ['src/core/gateway-errors.ts'],
    // The registry's every field against Azure's texts, and the body shape, as unit tests: the
    // gateway tests that show the same texts through a running gateway take seconds per mutant.
    tests: ['test/core/gateway-errors.test.ts'],
  },
  'arm-validation': {
    mutate: ['src/management/arm/spec-validator.ts', 'src/management/arm/spec-definitions.ts', 'src/management/arm/spec-problems.ts', 'src/management/arm/prototype-keys.ts'],
    tests: ['test/management/arm/spec-validator.test.ts', 'test/management/arm/prototype-keys.test.ts'],
  },
};

function expand(patterns) {
  const out = [];
  for (const pattern of patterns) {
    if (!pattern.includes('*')) {
      out.push(pattern);
      continue;
    }
    const ls = spawnSync('sh', ['-c', `ls ${pattern}`], { cwd: root, encoding: 'utf8' });
    out.push(...ls.stdout.split('\n').filter(Boolean));
  }
  return out;
}

/** The summary of a module from its report file (`--summary-only`: no run, just the table). */
function summaryFromReport(name) {
  return summarise(name, JSON.parse(readFileSync(join(reportDir, `${name}.json`), 'utf8')));
}

function runModule(name, { mutate, tests }) {
  const testFiles = expand(tests);
  for (const file of testFiles) if (!existsSync(join(root, file))) throw new Error(`${name}: no test file ${file}`);
  // Inside the repository, so the sandbox resolves packages from the repository's node_modules
  // whether Stryker links them into the sandbox or not.
  const work = join(root, '.stryker-tmp', `${name}-${process.pid}`);
  mkdirSync(work, { recursive: true });
  const reportFile = join(reportDir, `${name}.json`);
  const config = {
    testRunner: 'command',
    commandRunner: { command: `node --import tsx --test --test-concurrency=1 ${testFiles.join(' ')}` },
    mutate,
    coverageAnalysis: 'off',
    concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 2),
    timeoutMS: 20_000,
    reporters: ['clear-text', 'json'],
    clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, reportScoreTable: true },
    jsonReporter: { fileName: reportFile },
    tempDirName: join(work, 'sandbox'),
    cleanTempDir: true,
    ignorePatterns: ['dist', 'bench/vendor', 'bench/results', '.gatehouse', 'reports', '.stryker-tmp'],
    plugins: [],
  };
  const configFile = join(work, 'stryker.config.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  console.log(`\n=== ${name}: mutating ${mutate.join(', ')}; tests ${testFiles.join(', ')}`);
  const run = spawnSync('npx', ['stryker', 'run', configFile], { cwd: root, stdio: 'inherit', env: { ...process.env, GATEHOUSE_LOG_LEVEL: 'silent' } });
  rmSync(work, { recursive: true, force: true });
  if (run.status !== 0) throw new Error(`${name}: stryker exited with ${run.status}`);
  const report = compactReport(JSON.parse(readFileSync(reportFile, 'utf8')));
  writeFileSync(reportFile, JSON.stringify(report) + '\n');
  return summarise(name, report);
}

/** The report kept in the repository: each mutant's status reason (the test output) cut to its start. */
function compactReport(report) {
  for (const { mutants } of Object.values(report.files)) {
    for (const m of mutants) if (typeof m.statusReason === 'string' && m.statusReason.length > 300) m.statusReason = m.statusReason.slice(0, 300) + '…';
  }
  return report;
}

/** Counts per status and the score Stryker reports: detected / (detected + undetected). */
function summarise(name, report) {
  const counts = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, CompileError: 0, RuntimeError: 0, Ignored: 0 };
  const survivors = [];
  for (const [file, { mutants }] of Object.entries(report.files)) {
    for (const m of mutants) {
      counts[m.status] = (counts[m.status] ?? 0) + 1;
      if (m.status === 'Survived' || m.status === 'NoCoverage') survivors.push(`${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} → ${JSON.stringify(m.replacement ?? '')}`);
    }
  }
  const detected = counts.Killed + counts.Timeout;
  const undetected = counts.Survived + counts.NoCoverage;
  const score = detected + undetected === 0 ? 100 : (100 * detected) / (detected + undetected);
  return { name, ...counts, score: Math.round(score * 10) / 10, survivors };
}

function writeSummary(results) {
  const previous = existsSync(join(reportDir, 'summary.json')) ? JSON.parse(readFileSync(join(reportDir, 'summary.json'), 'utf8')) : {};
  for (const r of results) previous[r.name] = r;
  writeFileSync(join(reportDir, 'summary.json'), JSON.stringify(previous, null, 2) + '\n');
  const lines = ['| module | mutants | killed | timeout | survived | no coverage | score |', '|---|---|---|---|---|---|---|'];
  for (const r of Object.values(previous)) {
    const total = r.Killed + r.Timeout + r.Survived + r.NoCoverage;
    lines.push(`| ${r.name} | ${total} | ${r.Killed} | ${r.Timeout} | ${r.Survived} | ${r.NoCoverage} | ${r.score} % |`);
  }
  const survivors = Object.values(previous).flatMap((r) => r.survivors.map((s) => `- ${r.name}: ${s}`));
  writeFileSync(join(reportDir, 'summary.md'), `${lines.join('\n')}\n\nSurviving mutants:\n\n${survivors.join('\n') || '- none'}\n`);
  console.log(`\n${lines.join('\n')}`);
}

const summaryOnly = process.argv.includes('--summary-only');
const wanted = process.argv.slice(2).filter((a) => a !== '--summary-only');
if (summaryOnly) {
  mkdirSync(reportDir, { recursive: true });
  writeSummary(Object.keys(modules).filter((name) => existsSync(join(reportDir, `${name}.json`))).map(summaryFromReport));
  process.exit(0);
}
for (const name of wanted) if (!(name in modules)) throw new Error(`unknown module ${name}; known: ${Object.keys(modules).join(', ')}`);
mkdirSync(reportDir, { recursive: true });
// The summary is rewritten after each module, so an interrupted run keeps what finished.
for (const [name, spec] of Object.entries(modules)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  writeSummary([runModule(name, spec)]);
}
