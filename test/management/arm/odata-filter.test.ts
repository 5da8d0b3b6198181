import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFilter } from '../../../src/management/arm/odata-filter.js';
import { ArmError } from '../../../src/management/arm/arm-error.js';

const target = { name: 'echo-api', properties: { displayName: 'Echo API', isCurrent: true, apiRevision: '2', count: 5, nested: { path: 'echo' } } };

describe('$filter parsing', () => {
  const cases: Array<[string, boolean]> = [
    ["name eq 'echo-api'", true],
    ["name eq 'ECHO-API'", true],
    ["name ne 'echo-api'", false],
    ['properties/isCurrent eq true', true],
    ['isCurrent eq false', false],
    ['properties/count gt 4', true],
    ['properties/count ge 5 and properties/count le 5', true],
    ['count lt 5', false],
    ["properties/nested/path eq 'echo'", true],
    ["properties/missing eq null", true],
    ["contains(properties/displayName,'cho a')", true],
    ["substringof('echo', name)", true],
    ["startswith(name,'api')", false],
    ["endswith(name,'API')", true],
    ["not endswith(name,'api')", false],
    ["(name eq 'x' or name eq 'echo-api') and isCurrent eq true", true],
    ["name eq 'x' or name eq 'y' and isCurrent eq true", false],
    ["displayName eq 'It''s'", false],
  ];
  for (const [filter, expected] of cases) {
    it(`${filter} → ${expected}`, () => {
      assert.equal(parseFilter(filter)(target), expected);
    });
  }
  it('refuses syntax errors as a 400 on $filter', () => {
    for (const bad of ['', 'name', "name eq 'x' extra", 'contains(name)', "name ~ 'x'", "(name eq 'x'"]) {
      assert.throws(() => parseFilter(bad), (err: unknown) => err instanceof ArmError && err.status === 400 && err.details[0]!.target === '$filter', bad);
    }
  });
});
