/**
 * scripts/run-tests.mjs rebuilds a stale dist/ before it runs any test (issue 13: an end-to-end
 * run passed on a build from before the change). The runner and the repository's tsconfig.json
 * are copied into a one-module project whose dist/ says 'old' while its src/ says 'new'; the
 * project's only test passes only if it runs what src/ says.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = new URL('../..', import.meta.url).pathname;

/** A project with the repository's runner, whose dist/ was built before src/answer.ts changed. */
function projectWithStaleBuild(): string {
  const root = mkdtempSync(join(tmpdir(), 'gatehouse-runner-'));
  for (const dir of ['scripts', 'src', 'dist', 'test']) mkdirSync(join(root, dir));
  for (const file of ['scripts/run-tests.mjs', 'scripts/dist-freshness.mjs', 'scripts/tap-failures.mjs', 'tsconfig.json']) copyFileSync(join(repo, file), join(root, file));
  symlinkSync(realpathSync(join(repo, 'node_modules')), join(root, 'node_modules'));
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(root, 'dist/answer.js'), "export const answer = 'old';\n");
  writeFileSync(join(root, 'src/answer.ts'), "export const answer: string = 'new';\n");
  writeFileSync(
    join(root, 'test/answer.test.ts'),
    "import { it } from 'node:test';\nimport assert from 'node:assert/strict';\n" +
      "import { answer } from '../dist/answer.js';\nit('runs the current source', () => assert.equal(answer, 'new'));\n",
  );
  // Everything but the source was there before the build; the source changed after it.
  const built = new Date('2026-01-01T12:00:00Z');
  for (const file of ['package.json', 'tsconfig.json']) utimesSync(join(root, file), new Date('2026-01-01T11:00:00Z'), new Date('2026-01-01T11:00:00Z'));
  utimesSync(join(root, 'dist/answer.js'), built, built);
  utimesSync(join(root, 'src/answer.ts'), new Date('2026-01-01T13:00:00Z'), new Date('2026-01-01T13:00:00Z'));
  return root;
}

function runTests(root: string): Promise<{ code: number | null; output: string }> {
  // The runner starts its own `node --test`; it must not report into this test's runner.
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/run-tests.mjs'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('close', (code) => resolve({ code, output }));
  });
}

describe('scripts/run-tests.mjs', () => {
  it('rebuilds a dist/ older than src/ before running the tests, and not again once it is fresh', async () => {
    const root = projectWithStaleBuild();
    const first = await runTests(root);
    assert.equal(first.code, 0, first.output);
    assert.match(first.output, /building dist\/ .*\n {2}src\/answer\.ts → dist\/answer\.js: source changed after the build/);
    assert.match(readFileSync(join(root, 'dist/answer.js'), 'utf8'), /'new'/);

    const second = await runTests(root);
    assert.equal(second.code, 0, second.output);
    assert.doesNotMatch(second.output, /building dist\//);
    rmSync(root, { recursive: true });
  });

  it('fails when a test fails, and repeats that failure with its location after the report', async () => {
    const root = projectWithStaleBuild();
    writeFileSync(
      join(root, 'test/broken.test.ts'),
      "import { it } from 'node:test';\nimport assert from 'node:assert/strict';\nit('adds up', () => assert.equal(1 + 1, 3));\n",
    );
    const run = await runTests(root);
    assert.equal(run.code, 1, run.output);
    const summary = run.output.slice(run.output.lastIndexOf('# fail 1'));
    assert.match(summary, /# 1 failing test \(suites included\), repeated here:\nnot ok \d+ - adds up\n {2}---/);
    assert.match(summary, /location: '[^']*broken\.test\.ts:\d+:\d+'/);
    rmSync(root, { recursive: true });
  });
});
