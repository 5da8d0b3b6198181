#!/usr/bin/env node
// Runs the whole suite with Node's test runner: every test/**/*.test.ts, TypeScript loaded by tsx.
// Arguments filter the files by substring (e.g. `node scripts/run-tests.mjs policies/cors`).
// The end-to-end tests run the built CLI (dist/), so dist/ is rebuilt first when it is older
// than src/: no test can pass on a build from before the change it is meant to catch.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { staleBuildReasons, staleServerReasons, staleWebReasons } from './dist-freshness.mjs';
import { collectFailures } from './tap-failures.mjs';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...collect(path));
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

const files = collect(join(root, 'test'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

/** Rebuilds dist/ when it is stale; exits when it is still stale afterwards. */
function buildIfStale() {
  if (staleBuildReasons(root).length === 0) return;
  const build = { stdout: '', stderr: '', status: 0 };
  const server = staleServerReasons(root);
  if (server.length > 0) {
    console.error(`building dist/ (tsc -p tsconfig.json), it is older than src/:\n  ${server.join('\n  ')}`);
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    Object.assign(build, spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root, encoding: 'utf8' }));
  }
  const web = staleWebReasons(root);
  if (web.length > 0) {
    console.error(`building dist/web/ (scripts/build-web.mjs), it is older than web/:\n  ${web.join('\n  ')}`);
    const bundled = spawnSync(process.execPath, [join(root, 'scripts', 'build-web.mjs')], { cwd: root, encoding: 'utf8' });
    // A bundle that fails to build stays stale, and the check below says so with esbuild's words.
    build.stdout += bundled.stdout;
    build.stderr += bundled.stderr;
  }
  const still = staleBuildReasons(root);
  if (still.length > 0) {
    console.error(`dist/ is still stale after the build:\n  ${still.join('\n  ')}\n${build.stdout}${build.stderr}`);
    process.exit(1);
  }
  // tsc emits despite type errors, so the tests still run what src/ says; the errors are shown.
  if (build.status !== 0) console.error(`warning: tsc reported errors (npm run lint shows them all):\n${build.stdout.slice(0, 4000)}`);
}

buildIfStale();
// Five minutes per file: the benchmark harness test and the end-to-end files start several
// processes each, and two files share the machine's two cores; a hang still ends the run.
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...files],
  { cwd: root, stdio: ['inherit', 'pipe', 'inherit'], env: { GATEHOUSE_LOG_LEVEL: 'silent', ...process.env } },
);
// The report is passed through as it comes; every failure is also kept and printed again at
// the end, because a CI log is often shown only in part and a failure mid-report gets lost.
const failures = collectFailures();
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  failures.add(chunk.toString('utf8'));
});
child.on('close', (code, signal) => {
  const blocks = failures.finish();
  if (blocks.length > 0) {
    console.log(`\n# ${blocks.length} failing test${blocks.length === 1 ? '' : 's'} (suites included), repeated here:`);
    for (const block of blocks) console.log(block);
  }
  process.exit(code ?? (signal ? 1 : 0));
});
