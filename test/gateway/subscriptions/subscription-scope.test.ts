import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ownerUserId } from '../../../src/gateway/subscriptions/owner-user-id.js';
import { parseSubscriptionScope } from '../../../src/gateway/subscriptions/subscription-scope.js';
import { arm } from './fixture.js';

// A service that happens to be named "apis".
const armNamedApis = '/subscriptions/0000/resourceGroups/rg-1/providers/Microsoft.ApiManagement/service/apis';

describe('parseSubscriptionScope', () => {
  const rows: Array<[string, ReturnType<typeof parseSubscriptionScope>]> = [
    ['/', { kind: 'service' }],
    ['', { kind: 'service' }],
    [arm, { kind: 'service' }],
    [arm + '/', { kind: 'service' }],
    ['/apis', { kind: 'all-apis' }],
    ['/apis/', { kind: 'all-apis' }],
    [arm + '/apis', { kind: 'all-apis' }],
    ['/apis/echo-api', { kind: 'api', id: 'echo-api' }],
    ['/apis/Echo-API;rev=3', { kind: 'api', id: 'echo-api' }],
    [arm.toLowerCase() + '/apis/echo-api', { kind: 'api', id: 'echo-api' }],
    ['/products/Starter', { kind: 'product', id: 'starter' }],
    [arm + '/products/starter', { kind: 'product', id: 'starter' }],
    ['/products', { kind: 'unsupported' }],
    ['/workspaces/w/apis/a', { kind: 'unsupported' }],
    ['/apis/a/operations/o', { kind: 'unsupported' }],
    ['apis/a', { kind: 'unsupported' }],
    ['x/apis', { kind: 'unsupported' }],
    ['apis', { kind: 'unsupported' }],
    ['/users/u', { kind: 'unsupported' }],
    // Surrounding white space and repeated trailing slashes do not change the scope.
    ['  /apis/echo-api  ', { kind: 'api', id: 'echo-api' }],
    ['/apis//', { kind: 'all-apis' }],
    ['/products/starter//', { kind: 'product', id: 'starter' }],
    // A service id that does not start the scope is not the service.
    ['/apis' + armNamedApis, { kind: 'unsupported' }],
    ['/x' + arm, { kind: 'unsupported' }],
  ];
  for (const [scope, expected] of rows) {
    it(JSON.stringify(scope), () => assert.deepEqual(parseSubscriptionScope(scope), expected));
  }
});

describe('ownerUserId', () => {
  const rows: Array<[string | undefined, string | undefined]> = [
    ['/users/alice', 'alice'],
    ['/users/Alice/', 'alice'],
    [arm + '/users/bob', 'bob'],
    ['users/carol', 'carol'],
    ['', undefined],
    [undefined, undefined],
    ['/groups/g', undefined],
    ['/users/alice/extra', undefined],
    ['  /users/dave  ', 'dave'],
    ['/myusers/erin', undefined],
  ];
  for (const [id, expected] of rows) {
    it(String(id), () => assert.equal(ownerUserId(id), expected));
  }
});
