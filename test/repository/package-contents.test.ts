/**
 * What `npm pack` (and so `npm publish`) ships: the command and everything it loads at run time
 * (the compiled dist/, JSON data beside it, the worker program), the docs and the licence; not
 * the sources, tests or fixtures. dist/ is gitignored, so without package.json's `files` the
 * package shipped a `gatehouse` command that could not start.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('../..', import.meta.url).pathname;

describe('the npm package', () => {
  it('ships bin/, the built dist/ with its data files, docs/ and LICENSE, and no sources or tests', (t) => {
    if (!existsSync(`${root}dist/main/cli.js`)) return t.skip('dist/ is not built (npm test builds it first)');
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const files = new Set((JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path));
    for (const needed of ['bin/gatehouse.js', 'dist/main/cli.js', 'dist/main/gateway-worker-main.js', 'dist/management/arm/azure-spec/definitions.json', 'dist/management/network/azure-spec/network-definitions.json', 'LICENSE', 'README.md', 'package.json', 'docs/getting-started.md']) {
      assert.ok(files.has(needed), `${needed} is in the package`);
    }
    for (const path of files) assert.doesNotMatch(path, /^(src|test|bench|scripts|reports|deploy)\//, `${path} is not shipped`);
  });
});
