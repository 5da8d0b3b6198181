import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { servedChains } from '../../../src/management/arm/kind-registry.js';

// docs/management-api.md must list every path the handler serves.
describe('docs/management-api.md', () => {
  const doc = readFileSync(new URL('../../../docs/management-api.md', import.meta.url), 'utf8');
  for (const chain of servedChains()) {
    it(`documents /${chain}`, () => {
      const parts = chain.split('/');
      const last = parts[parts.length - 1]!;
      const pattern = parts.length === 1 ? `\`/${last}` : `/${last}`;
      assert.ok(doc.includes(pattern), `no row mentions ${pattern}`);
    });
  }
  for (const action of ['listSecrets', 'regeneratePrimaryKey', 'regenerateSecondaryKey', 'listValue', 'revisions']) {
    it(`documents ${action}`, () => assert.ok(doc.includes(action)));
  }
});
