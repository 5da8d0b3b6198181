/**
 * The bodies the console's product and named value forms send (web/admin/product-draft.ts,
 * named-value-draft.ts), and what arm-id.ts makes of the ids the server answers.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lastSegment, serviceRelative } from '../../../web/admin/arm-id.js';
import { namedValueBody, namedValueDraft, newNamedValueDraft } from '../../../web/admin/named-value-draft.js';
import { newProductDraft, productBody, productDraft } from '../../../web/admin/product-draft.js';

describe('product bodies', () => {
  it('sends approval and the limit only for a product that requires subscriptions', () => {
    const draft = { ...newProductDraft, displayName: 'Gold', approvalRequired: true, subscriptionsLimit: '2', state: 'published' };
    assert.deepEqual(productBody(draft), { properties: { displayName: 'Gold', subscriptionRequired: true, state: 'published', approvalRequired: true, subscriptionsLimit: 2 } });
    assert.deepEqual(productBody({ ...draft, subscriptionRequired: false }), { properties: { displayName: 'Gold', subscriptionRequired: false, state: 'published' } });
  });

  it('leaves an empty limit out and sends a limit that is not a number as typed, for the server to name', () => {
    assert.equal('subscriptionsLimit' in productBody({ ...newProductDraft, subscriptionsLimit: ' ' }).properties, false);
    assert.equal(productBody({ ...newProductDraft, subscriptionsLimit: 'many' }).properties.subscriptionsLimit, 'many');
  });

  it('reads a stored product back into the same draft', () => {
    const stored = { displayName: 'Gold', description: 'd', terms: 't', subscriptionRequired: true, approvalRequired: true, subscriptionsLimit: 3, state: 'published' };
    assert.deepEqual(productBody(productDraft(stored)).properties, stored);
    assert.equal(productDraft({ subscriptionsLimit: null }).subscriptionsLimit, '');
  });
});

describe('named value bodies', () => {
  it('never puts a stored secret in the draft, and an edit without a new value keeps the stored one', () => {
    const draft = namedValueDraft({ name: 'db', properties: { displayName: 'db', secret: true, value: 'leaked?', tags: ['a', 'b'] } });
    assert.equal(draft.value, '');
    assert.deepEqual(namedValueBody(draft, true), { properties: { displayName: 'db', tags: ['a', 'b'], secret: true } });
    assert.deepEqual(namedValueBody({ ...draft, value: 'new' }, true).properties.value, 'new');
  });

  it('sends an empty value when creating, and splits tags on commas', () => {
    assert.deepEqual(namedValueBody({ ...newNamedValueDraft, displayName: 'x', tags: ' a, ,b ' }, false), { properties: { displayName: 'x', tags: ['a', 'b'], secret: false, value: '' } });
  });

  it('sends a Key Vault reference instead of a value, always secret', () => {
    const body = namedValueBody({ ...newNamedValueDraft, displayName: 'k', source: 'keyVault', value: 'ignored', secretIdentifier: 'env:APP_KEY', identityClientId: '' }, false);
    assert.deepEqual(body, { properties: { displayName: 'k', tags: [], keyVault: { secretIdentifier: 'env:APP_KEY' }, secret: true } });
  });
});

describe('ARM ids', () => {
  it('gives the name and the part below the service', () => {
    const service = '/subscriptions/0/resourceGroups/rg/providers/Microsoft.ApiManagement/service/gatehouse';
    assert.equal(lastSegment(`${service}/users/ada`), 'ada');
    assert.equal(lastSegment(undefined), '');
    assert.equal(serviceRelative(`${service}/products/gold`), '/products/gold');
    assert.equal(serviceRelative(service), '/');
    assert.equal(serviceRelative('/apis'), '/apis');
  });
});
