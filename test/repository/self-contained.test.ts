/**
 * The repository stands alone: a clone with nothing beside it has every file its tests, docs,
 * benchmarks and scripts refer to. Public corpora live in test/fixtures/corpus with their
 * licences; no file reaches a path above the repository root (a sibling folder a clone does not have).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { outsideReferences, outsideReferencesIn } from './outside-references.js';

const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

describe('the repository is self-contained', () => {
  it('has no file in README.md, src, test, docs, bench, scripts, bin or .ci that refers to a path above its root', () => {
    const found = outsideReferences(root);
    assert.deepEqual(
      found.map((r) => `${r.file}:${r.line}: ${r.written} (→ ${r.resolved})`),
      [],
      'these paths leave the repository; copy what they need into it (test data into test/fixtures with its licence)',
    );
  });
});

describe('the outside-reference finder', () => {
  // The texts below climb two levels from a file one level deep (docs/, test/), so they leave
  // the repository there; written in this file (two levels deep) they do not.
  const docs = join(root, 'docs');
  const tests = join(root, 'test');
  const written = (text: string, dir: string) => outsideReferencesIn(text, dir, root).map((r) => r.written);

  it('finds a markdown link above the root', () => {
    assert.deepEqual(written('See [the design](../../DESIGN.md) and [ok](design.md).', docs), ['../../DESIGN.md']);
  });

  it('finds a new URL(…, import.meta.url) above the root, with or without a file name', () => {
    assert.deepEqual(written("new URL('../../corpus/a b.json', import.meta.url)", tests), ['../../corpus/a']);
    assert.deepEqual(written("const root = new URL('../..', import.meta.url).pathname;", tests), ['../..']);
  });

  it('finds a path built from quoted pieces, as path.join takes them', () => {
    assert.deepEqual(written("join(here, '..', '..', 'corpora')", tests), ['../../corpora']);
  });

  it('leaves alone paths that stay inside, spreads, ranges and ellipses', () => {
    const text = "import x from '../src/a.js'; [...xs]; a..b; wait... [up](../README.md) join(here, '..', 'src')";
    assert.deepEqual(written(text, tests), []);
  });
});
