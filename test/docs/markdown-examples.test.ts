/**
 * How the docs test reads the markdown: which fences run, how a block or a section is marked as
 * not running here (with its reason), which markers are reported as mistakes, and what status
 * each curl command of a shell block must get.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { extractExamples } from './markdown-examples.js';
import { expectedCurlStatuses } from './example-runner.js';

const fence = '```';

describe('extractExamples', () => {
  it('takes sh, bash, js and ts fences and leaves the others', () => {
    const text = [`${fence}sh`, 'echo a', fence, `${fence}json`, '{}', fence, `${fence}bash no-run`, 'echo b', fence, `${fence}js`, 'x()', fence, fence, 'plain', fence].join('\n');
    const { examples, problems } = extractExamples('a.md', text);
    assert.deepEqual(examples.map((e) => [e.line, e.language, e.code]), [[1, 'sh', 'echo a\n'], [7, 'sh', 'echo b\n'], [10, 'js', 'x()\n']]);
    assert.deepEqual(problems, []);
  });

  it('skips a block marked just before its fence, with the reason', () => {
    const text = ['<!-- example: skip needs root -->', `${fence}sh`, 'ip netns add x', fence, `${fence}sh`, 'echo runs', fence].join('\n');
    const { examples } = extractExamples('a.md', text);
    assert.deepEqual(examples.map((e) => e.skip), ['needs root', undefined]);
  });

  it('skips every block of a marked section up to the next heading of its level', () => {
    const text = ['## Lab', '<!-- examples in this section: skip needs a lab -->', `${fence}sh`, 'a', fence, '**Step 2.**', `${fence}sh`, 'b', fence, '### Detail', `${fence}sh`, 'c', fence, '## Next', `${fence}sh`, 'd', fence].join('\n');
    const { examples, problems } = extractExamples('a.md', text);
    assert.deepEqual(examples.map((e) => e.skip ?? 'runs'), ['needs a lab', 'needs a lab', 'needs a lab', 'runs']);
    assert.deepEqual(problems, []);
  });

  it('reports a marker without a reason, one before prose or a non-runnable block, and an unused section marker', () => {
    const text = ['<!-- example: skip -->', `${fence}sh`, 'a', fence, '<!-- example: skip stale -->', 'Some prose.', '<!-- example: skip json -->', `${fence}json`, '{}', fence, '## S', '<!-- examples in this section: skip nothing here -->', 'text'].join('\n');
    const { problems } = extractExamples('a.md', text);
    assert.deepEqual(problems.map((p) => p.line), [1, 5, 7, 12]);
  });
});

describe('expectedCurlStatuses', () => {
  it('wants a 2xx unless the command ends with a # NNN comment', () => {
    const code = ['TOKEN=$(cat t)', 'curl -i "$U/a"     # 401, missing key', 'curl -X PUT "$U/b" \\', '  -d \'{"a": 1}\'   # 404', 'curl "$U/c#frag"', 'echo curl is not run here'].join('\n');
    assert.deepEqual(expectedCurlStatuses(code), [401, 404, '2xx']);
  });
});
