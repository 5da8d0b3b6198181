/** The account pages' paths, the mailed links' query and subscription scopes (web/portal). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { productOfScope } from '../../../web/portal/account-resources.js';
import { mailedTicket } from '../../../web/portal/identity-request.js';
import { parseRoute, routePath } from '../../../web/portal/route.js';

describe('the portal account routes', () => {
  it('names each account page by one segment, and back', () => {
    for (const page of ['signup', 'confirm', 'reset-password', 'profile', 'subscriptions'] as const) {
      assert.deepEqual(parseRoute(`/${page}`), { page });
      assert.deepEqual(parseRoute(`/${page}/`), { page });
      assert.equal(routePath({ page }), `/${page}`);
    }
  });

  it('reads anything else under those names as no page', () => {
    assert.deepEqual(parseRoute('/profile/other'), { page: 'not-found' });
    assert.deepEqual(parseRoute('/Profile'), { page: 'not-found' });
    assert.deepEqual(parseRoute('/constructor'), { page: 'not-found' });
    assert.deepEqual(parseRoute('/%zz'), { page: 'not-found' });
  });
});

describe('the mailed links', () => {
  it('need both the user and the ticket', () => {
    assert.deepEqual(mailedTicket('?userId=5f2a&ticket=a%2Bb%3D'), { userId: '5f2a', ticket: 'a+b=' });
    assert.equal(mailedTicket('?userId=5f2a'), undefined);
    assert.equal(mailedTicket('?ticket=x'), undefined);
    assert.equal(mailedTicket('?userId=&ticket=x'), undefined);
    assert.equal(mailedTicket(''), undefined);
  });
});

describe('subscription scopes', () => {
  it('give the product of a product scope, short or full, and nothing for other scopes', () => {
    assert.equal(productOfScope('/products/starter'), 'starter');
    assert.equal(productOfScope('/subscriptions/s/resourceGroups/g/providers/Microsoft.ApiManagement/service/x/products/gold'), 'gold');
    assert.equal(productOfScope('/apis/echo-api'), undefined);
    assert.equal(productOfScope('/apis'), undefined);
    assert.equal(productOfScope('/products/%zz'), '%zz');
  });
});
