/**
 * docs/policies/README.md lists every policy of Microsoft's policy reference with its status.
 * This holds the list against the registry (src/policies/index.ts): every registered policy is
 * listed as implemented, with a page that exists, and every policy listed as implemented is
 * registered; everything else says which issue brings it or why it will not come.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { policyRegistry } from '../../src/policies/index.js';

const folder = new URL('../../docs/policies/', import.meta.url).pathname;
const readme = readFileSync(`${folder}README.md`, 'utf8');

interface Row {
  name: string;
  /** Set for a row about a variant of a policy (`set-backend-service` (Dapr variant …)). */
  variant: boolean;
  status: string;
  line: number;
}

/** The policy rows of the README's tables: name cell and status cell. */
function rows(): Row[] {
  const out: Row[] = [];
  readme.split('\n').forEach((text, i) => {
    const cells = text.split('|').map((c) => c.trim());
    const m = /^`([a-z0-9-]+)`( \(.+\))?$/.exec(cells[1] ?? '');
    if (!text.startsWith('|') || !m) return;
    out.push({ name: m[1]!, variant: m[2] !== undefined, status: cells[2] ?? '', line: i + 1 });
  });
  return out;
}

describe('docs/policies/README.md policy list', () => {
  const all = rows();
  const main = all.filter((r) => !r.variant);

  it('lists each policy once', () => {
    const names = main.map((r) => r.name);
    assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), []);
    // Microsoft's reference has some 60 policies.
    assert.ok(names.length >= 60, `only ${names.length} policies listed`);
  });

  it('lists every registered policy as implemented, linking its page', () => {
    for (const name of policyRegistry.keys()) {
      const row = main.find((r) => r.name === name);
      assert.ok(row, `${name} is registered but not listed`);
      assert.ok(row.status.startsWith(`implemented: [${name}](${name}.md)`), `line ${row.line}: ${name} is registered, listed as '${row.status}'`);
      assert.ok(existsSync(`${folder}${name}.md`), `docs/policies/${name}.md is missing`);
    }
  });

  it('lists as implemented only registered policies', () => {
    for (const row of all.filter((r) => r.status.startsWith('implemented'))) {
      assert.ok(!row.variant && policyRegistry.has(row.name), `line ${row.line}: ${row.name} is listed as implemented but not registered`);
    }
  });

  it('gives every other policy its issue or its reason', () => {
    for (const row of all.filter((r) => !r.status.startsWith('implemented'))) {
      assert.match(row.status, /^planned \(issue 1[56]\)|^not supported: \S.{10,}/, `line ${row.line}: ${row.name}`);
      if (!row.variant) assert.ok(!policyRegistry.has(row.name), `line ${row.line}: ${row.name} is registered but listed as '${row.status}'`);
    }
  });
});
