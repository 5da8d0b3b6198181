/**
 * Every documented command and example runs as written (issue 12 §3): the sh/bash, js and ts
 * blocks of README.md and docs/**\/*.md run in order against a fresh `gatehouse start`
 * (example-sandbox.ts describes the reader's shell they get). Each must exit 0, and every curl
 * must get a 2xx unless its line says otherwise (`# 401`). Blocks that cannot run here are
 * marked in the markdown with the reason (markdown-examples.ts) and listed as skipped with it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { documentationExamples, type MarkdownExample } from './markdown-examples.js';
import { createExampleSandbox, type ExampleSandbox } from './example-sandbox.js';
import { expectedCurlStatuses, runExample } from './example-runner.js';

const root = new URL('../..', import.meta.url).pathname;
const { examples, problems } = documentationExamples(root);

/** Why a block failed, with everything it printed. */
function failure(example: MarkdownExample, why: string, output: string): string {
  return `${example.file}:${example.line} (${example.language}) ${why}\n--- the block:\n${example.code}--- what it printed:\n${output}`;
}

describe('documentation examples', () => {
  let sandbox: ExampleSandbox;
  before(async () => {
    sandbox = await createExampleSandbox();
  });
  after(async () => {
    await sandbox?.close();
  });

  it('finds the examples, and every marker is understood and marks a runnable block', () => {
    assert.deepEqual(problems, []);
    assert.ok(examples.filter((e) => !e.skip).length >= 8, `only ${examples.filter((e) => !e.skip).length} runnable examples found`);
  });

  for (const example of examples) {
    const name = `${example.file}:${example.line} (${example.language})`;
    it(name, { skip: example.skip }, async () => {
      const result = await runExample(example, { cwd: sandbox.dir, env: sandbox.env, timeoutMs: 90_000 });
      if (result.timedOut) assert.fail(failure(example, 'did not finish within 90 s', result.output));
      if (result.code !== 0) assert.fail(failure(example, `exited with ${result.code ?? result.signal}`, result.output));
      if (example.language !== 'sh') return;
      const expected = expectedCurlStatuses(example.code);
      const got = result.curlStatuses;
      if (got.length !== expected.length) {
        assert.fail(failure(example, `ran curl ${got.length} times for ${expected.length} curl commands (keep curl out of loops and substitutions)`, result.output));
      }
      got.forEach((status, i) => {
        const want = expected[i]!;
        const ok = want === '2xx' ? status >= 200 && status < 300 : status === want;
        if (!ok) assert.fail(failure(example, `curl #${i + 1} answered ${status}, expected ${want}`, result.output));
      });
    });
  }
});
