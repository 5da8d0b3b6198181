/**
 * The caching policies' VS Code snippets of Azure's snippet corpus (test/fixtures/corpus) compile
 * with each of the values they offer, in every section Azure allows them in; the policy
 * documents of the corpus that use them are in test/conformance/policy-snippets.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compileOnly } from '../helpers/policy-harness.js';

const path = new URL('../fixtures/corpus/policy-snippets/vscode-snippets-xml.json', import.meta.url);
const snippets = JSON.parse(readFileSync(path, 'utf8')) as Record<string, { body: string | string[] }>;

/** The snippet with its placeholders filled: choice `pick` of each `${n|a,b|}`, a name for `${n:text}`, a value for `$n`. */
function filled(name: string, pick: number): string {
  const body = snippets[name]!.body;
  return (Array.isArray(body) ? body.join('\n') : body)
    .replace(/\$\{\d+\|([^|}]*)\|\}/g, (_, choices: string) => {
      const list = choices.split(',');
      return list[pick % list.length]!;
    })
    .replace(/\$\{\d+:seconds\}/g, '30')
    .replace(/\$\{\d+:([^}]*)\}/g, (_, text: string) => text.replace(/\s+/g, '-'))
    .replace(/\$\d+/g, 'v');
}

const sections: Record<string, readonly string[]> = {
  'cache-lookup': ['inbound'],
  'cache-store': ['outbound'],
  'cache-lookup-value': ['inbound', 'backend', 'outbound', 'on-error'],
  'cache-store-value': ['inbound', 'backend', 'outbound', 'on-error'],
  'cache-remove-value': ['inbound', 'backend', 'outbound', 'on-error'],
};

describe("the caching policies' VS Code snippets", () => {
  for (const [name, allowed] of Object.entries(sections)) {
    it(`${name} compiles with each offered value in ${allowed.join(', ')}`, () => {
      assert.ok(snippets[name], `the corpus has a ${name} snippet`);
      for (const pick of [0, 1, 2]) {
        // `@($2)` in cache-store-value's value becomes the expression @(v): give it a literal.
        const xml = filled(name, pick).replace('@(v)', '@("v")');
        for (const section of allowed) assert.doesNotThrow(() => compileOnly(`<policies><${section}>${xml}</${section}></policies>`), `${section}: ${xml}`);
      }
    });
  }
});
