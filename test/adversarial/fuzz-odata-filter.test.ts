/**
 * Fuzzing the `$filter` parser of list operations: any text either parses into a predicate or is
 * refused with the ARM 400 ValidationError naming `$filter`; a predicate answers true or false
 * for any resource, whatever its properties hold.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ArmError } from '../../src/management/arm/arm-error.js';
import { parseFilter, type FilterPredicate } from '../../src/management/arm/odata-filter.js';
import { checkProperty, mutatedText } from './fuzz-settings.js';

const filters = [
  "name eq 'echo'",
  "properties/displayName ne 'Echo API'",
  "contains(properties/displayName,'x') and not startswith(name,'a')",
  "(endswith(name,'z') or path eq 'p') and properties/subscriptionRequired eq true",
  "isCurrent eq true or apiRevision gt '2'",
  "properties/state le 'active' and name ge 'm'",
];
const filterAlphabet = "'()/, eqnotandorcsw0123456789.-_$";
const words = ['name', 'properties/displayName', 'eq', 'ne', 'gt', 'ge', 'lt', 'le', 'and', 'or', 'not', '(', ')', ',', "'x'", "''", "'it''s'", 'true', 'false', 'null', '1', '-2.5', 'contains', 'startswith', 'endswith', 'substringof', 'properties/', '/', '__proto__', 'constructor'];

/** Parses; asserts a refusal is the ARM error for `$filter`. */
function parseOrRefuse(text: string): FilterPredicate | undefined {
  try {
    return parseFilter(text);
  } catch (err) {
    if (!(err instanceof ArmError)) throw new Error(`not an ArmError for ${JSON.stringify(text.slice(0, 200))}: ${(err as Error)?.stack ?? err}`);
    assert.equal(err.status, 400, text);
    assert.equal(err.details[0]?.target, '$filter', text);
    return undefined;
  }
}

const jsonValue = fc.jsonValue({ maxDepth: 2 });
const target = fc.record({ name: fc.string({ maxLength: 8 }), properties: fc.dictionary(fc.constantFrom('displayName', 'path', 'state', 'subscriptionRequired', 'isCurrent', 'apiRevision', '__proto__', 'constructor'), jsonValue, { maxKeys: 5 }) });

function answers(predicate: FilterPredicate | undefined, resource: { name: string; properties: Record<string, unknown> }): void {
  if (!predicate) return;
  const result = predicate(resource);
  assert.equal(typeof result, 'boolean');
}

describe('fuzz: $filter', () => {
  it('any text parses or is refused with a 400 naming $filter', () => {
    for (const f of filters) assert.ok(parseOrRefuse(f), f);
    checkProperty(fc.string({ maxLength: 80 }), (text) => void parseOrRefuse(text), 500);
    checkProperty(fc.array(fc.constantFrom(...words), { maxLength: 12 }).map((w) => w.join(' ')), (text) => void parseOrRefuse(text), 800);
  });

  it('edited filters parse or are refused, and a predicate answers a boolean for any resource', () => {
    checkProperty(fc.tuple(mutatedText(filters, filterAlphabet), target), ([text, resource]) => answers(parseOrRefuse(text), resource), 800);
  });

  it('deep nesting and long chains are refused or parsed without exhausting the stack', () => {
    const a = { name: 'a', properties: {} };
    assert.equal(parseOrRefuse(`${'('.repeat(100)}name eq 'a'${')'.repeat(100)}`)?.(a), true);
    assert.equal(parseOrRefuse(`${'('.repeat(101)}name eq 'a'${')'.repeat(101)}`), undefined, 'deeper than 100 is refused');
    assert.equal(parseOrRefuse(`${'('.repeat(100_000)}name eq 'a'${')'.repeat(100_000)}`), undefined);
    assert.equal(parseOrRefuse(`${'not '.repeat(100_001)}name eq 'a'`)?.(a), false);
    assert.equal(parseOrRefuse(`${'not '.repeat(100_000)}name eq 'a'`)?.(a), true);
    assert.equal(parseOrRefuse(Array.from({ length: 100_000 }, (_, i) => `name eq '${i}'`).join(' or ') + " or name eq 'a'")?.(a), true);
    assert.equal(parseOrRefuse(Array.from({ length: 100_000 }, () => "name eq 'a'").join(' and ') + " and name eq 'b'")?.(a), false);
  });
});
