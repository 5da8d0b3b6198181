/**
 * What ARM serves about a user beside the user itself: `users/{u}/groups` (UserGroup_List, from
 * the group memberships, ids below the user as Azure answers them) and `users/{u}/subscriptions` (UserSubscription_List and _Get, from the
 * subscriptions' owner), with paging and filters like every list, and read-only; and
 * `users/{u}/identities` (UserIdentities_List: bare `{ provider, id }` rows of the identities
 * the user was written with).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { servicePath, startManagement, type ManagementHarness } from './arm-harness.js';

const put = (h: ManagementHarness, path: string, properties: Record<string, unknown>) => h.call('PUT', path, { body: { properties } });

describe("users' links", () => {
  let m: ManagementHarness;
  before(async () => {
    m = await startManagement();
    await put(m, 'users/alice', { email: 'alice@example.com', firstName: 'Alice', lastName: 'Able' });
    await put(m, 'users/bob', { email: 'bob@example.com', firstName: 'Bob', lastName: 'Bee' });
    await put(m, 'groups/partners', { displayName: 'Partners' });
    await put(m, 'groups/partners/users/alice', {});
    await put(m, 'groups/developers/users/alice', {});
    await put(m, 'groups/developers/users/bob', {});
    await put(m, 'products/gold', { displayName: 'Gold' });
    await put(m, 'subscriptions/s1', { scope: '/products/gold', displayName: 'one', ownerId: '/users/alice' });
    await put(m, 'subscriptions/s2', { scope: '/apis', displayName: 'two', ownerId: '/users/alice', primaryKey: 'k1', secondaryKey: 'k2' });
    await put(m, 'subscriptions/s3', { scope: '/apis', displayName: 'three', ownerId: '/users/bob' });
  });
  after(() => m.close());

  it("lists a user's groups below the user, filters and pages them", async () => {
    const all = await m.call('GET', 'users/alice/groups');
    assert.equal(all.status, 200, all.text);
    assert.deepEqual(all.body.value.map((g: { name: string }) => g.name).sort(), ['developers', 'partners']);
    const partners = all.body.value.find((g: { name: string }) => g.name === 'partners');
    assert.equal(partners.id, `${servicePath}/users/alice/groups/partners`);
    assert.equal(partners.type, 'Microsoft.ApiManagement/service/users/groups');
    assert.equal(partners.properties.displayName, 'Partners');
    assert.equal(all.body.count, 2);
    const page = await m.call('GET', 'users/alice/groups?$top=1');
    assert.equal(page.body.value.length, 1);
    assert.match(page.body.nextLink, /(\$|%24)skip=1/);
    const filtered = await m.call('GET', "users/alice/groups?$filter=properties/displayName eq 'Partners'");
    assert.deepEqual(filtered.body.value.map((g: { name: string }) => g.name), ['partners']);
    assert.deepEqual((await m.call('GET', 'users/bob/groups')).body.value.map((g: { name: string }) => g.name), ['developers']);
    assert.equal((await m.call('GET', 'users/nobody/groups')).status, 404);
  });

  it("lists and reads a user's subscriptions below the user, keys left out", async () => {
    const list = await m.call('GET', 'users/alice/subscriptions');
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.body.value.map((s: { name: string }) => s.name).sort(), ['s1', 's2']);
    const one = await m.call('GET', 'users/alice/subscriptions/s2');
    assert.equal(one.status, 200, one.text);
    assert.equal(one.body.id, `${servicePath}/users/alice/subscriptions/s2`);
    assert.equal(one.body.type, 'Microsoft.ApiManagement/service/users/subscriptions');
    assert.equal(one.body.properties.displayName, 'two');
    assert.equal(one.body.properties.primaryKey, undefined);
    assert.equal((await m.call('GET', 'users/alice/subscriptions/s3')).status, 404, "bob's subscription is not alice's");
  });

  it("lists a user's identities as Azure's bare { provider, id } rows", async () => {
    const basic = await m.call('GET', 'users/bob/identities');
    assert.equal(basic.status, 200, basic.text);
    assert.deepEqual(basic.body, { value: [{ provider: 'Basic', id: 'bob@example.com' }], count: 1 }, 'a user created without identities has the Basic one');
    const created = await put(m, 'users/carol', {
      email: 'carol@example.com',
      firstName: 'Carol',
      lastName: 'Sea',
      identities: [
        { provider: 'AadB2C', id: '086cf9c8-0000-4c3e-9b6d-0123456789ab' },
        { provider: 'Basic', id: 'carol@example.com' },
      ],
    });
    assert.equal(created.status, 201, created.text);
    const listed = await m.call('GET', 'users/carol/identities');
    assert.deepEqual(listed.body.value, [
      { provider: 'AadB2C', id: '086cf9c8-0000-4c3e-9b6d-0123456789ab' },
      { provider: 'Basic', id: 'carol@example.com' },
    ]);
    const page = await m.call('GET', 'users/carol/identities?$top=1&$skip=1');
    assert.deepEqual(page.body.value, [{ provider: 'Basic', id: 'carol@example.com' }]);
    assert.equal(page.body.count, 2);
    assert.equal((await m.call('GET', 'users/nobody/identities')).status, 404);
    const filtered = await m.call('GET', "users/carol/identities?$filter=name eq 'x'");
    assert.equal(filtered.status, 400, 'UserIdentities_List takes no $filter: refused, not ignored');
    assert.equal(filtered.body.error.details[0].target, '$filter');
    assert.equal((await m.call('GET', 'users/carol/identities/0')).status, 405, 'Azure has no GET of one identity');
    const bad = await put(m, 'users/dave', { email: 'dave@example.com', firstName: 'Dave', lastName: 'Dee', identities: [{ provider: 7 }] });
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.body.error.details[0].target, 'identities[0].provider');
  });

  it('is read-only', async () => {
    assert.equal((await m.call('PUT', 'users/alice/identities/0', { body: {} })).status, 405);
    assert.equal((await m.call('PUT', 'users/alice/groups/partners', { body: {} })).status, 405);
    assert.equal((await m.call('DELETE', 'users/alice/subscriptions/s1', { headers: { 'if-match': '*' } })).status, 405);
  });
});
