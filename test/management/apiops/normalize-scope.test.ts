import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatScope, parseScope } from '../../../src/management/apiops/normalize-scope.js';

const service = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim';

describe('subscription scopes', () => {
  const cases: Array<[string, string | undefined]> = [
    ['/apis', '/apis'],
    ['/apis/', '/apis'],
    ['/apis/echo-api', '/apis/echo-api'],
    ['/products/starter', '/products/starter'],
    ['products/starter', '/products/starter'],
    [`${service}/apis`, '/apis'],
    [`${service}/apis/echo-api`, '/apis/echo-api'],
    [`${service}/products/starter`, '/products/starter'],
    [`${service.toLowerCase()}/products/starter`, '/products/starter'],
    [service, '/'],
    ['/', '/'],
    ['/products', undefined],
    ['/products/a/apis/b', undefined],
    ['/backends/b', undefined],
    ['/subscriptions/x/resourceGroups/rg/providers/Microsoft.Web/sites/s', undefined],
  ];
  for (const [input, expected] of cases) {
    it(`${input} → ${expected ?? 'rejected'}`, () => {
      const parsed = parseScope(input);
      assert.equal(parsed === undefined ? undefined : formatScope(parsed), expected);
    });
  }
});
