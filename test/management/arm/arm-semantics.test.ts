import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adminToken, servicePath, startManagement, type ManagementHarness } from './arm-harness.js';

describe('management API: ARM semantics', () => {
  let h: ManagementHarness;
  before(async () => {
    h = await startManagement();
  });
  after(() => h.close());

  describe('authentication', () => {
    it('refuses a request without Authorization with 401 AuthenticationFailed', async () => {
      const r = await h.call('GET', 'apis', { auth: null });
      assert.equal(r.status, 401);
      assert.equal(r.body.error.code, 'AuthenticationFailed');
      assert.match(r.body.error.message, /Authorization' header is missing/);
      assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer/);
    });
    it('refuses a wrong token with 401 InvalidAuthenticationToken', async () => {
      const r = await h.call('GET', 'apis', { auth: `Bearer ${adminToken}x` });
      assert.equal(r.status, 401);
      assert.equal(r.body.error.code, 'InvalidAuthenticationToken');
    });
    it('refuses a non-bearer scheme', async () => {
      const r = await h.call('GET', 'apis', { auth: `Basic ${Buffer.from('a:b').toString('base64')}` });
      assert.equal(r.status, 401);
      assert.equal(r.body.error.code, 'AuthenticationFailed');
    });
    it('authenticates before anything else: a bad path without a token is 401, not 404', async () => {
      const r = await h.call('GET', '/subscriptions/x/nothing', { auth: null, apiVersion: null });
      assert.equal(r.status, 401);
    });
  });

  describe('api-version', () => {
    it('is required: 400 MissingApiVersionParameter with ARM message', async () => {
      const r = await h.call('GET', 'apis', { apiVersion: null });
      assert.equal(r.status, 400);
      assert.deepEqual(r.body, {
        error: { code: 'MissingApiVersionParameter', message: 'The api-version query parameter (?api-version=) is required for all requests.' },
      });
    });
    it('accepts 2024-05-01 and older dated versions (and older previews)', async () => {
      for (const v of ['2024-05-01', '2022-08-01', '2021-01-01-preview', '2019-12-01']) {
        assert.equal((await h.call('GET', 'apis', { apiVersion: v })).status, 200, v);
      }
    });
    it('refuses newer and garbage versions with InvalidApiVersionParameter', async () => {
      for (const v of ['2099-01-01', '2024-06-01-preview', '2024-05-01-preview', 'latest', '2024-13-01']) {
        const r = await h.call('GET', 'apis', { apiVersion: v });
        assert.equal(r.status, 400, v);
        assert.equal(r.body.error.code, 'InvalidApiVersionParameter', v);
        assert.ok(r.body.error.message.includes(v));
      }
    });
  });

  describe('paths', () => {
    it('answers 404 ResourceNotFound for another service name', async () => {
      const r = await h.call('GET', '/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/other/apis');
      assert.equal(r.status, 404);
      assert.equal(r.body.error.code, 'ResourceNotFound');
      assert.match(r.body.error.message, /service\/other/);
    });
    it('takes the subscription and resource group segments as given, literal segments case-insensitively', async () => {
      const r = await h.call('GET', '/SUBSCRIPTIONS/abc/resourcegroups/xyz/providers/microsoft.apimanagement/service/GATEHOUSE/apis');
      assert.equal(r.status, 200);
      await h.call('PUT', '/subscriptions/abc/resourceGroups/xyz/providers/Microsoft.ApiManagement/service/gatehouse/products/pathcase', {
        body: { properties: { displayName: 'x' } },
      });
      const got = await h.call('GET', '/subscriptions/abc/resourceGroups/xyz/providers/Microsoft.ApiManagement/service/gatehouse/PRODUCTS/pathcase');
      assert.equal(got.body.id, '/subscriptions/abc/resourceGroups/xyz/providers/Microsoft.ApiManagement/service/gatehouse/products/pathcase');
    });
    it('answers 404 for an unknown collection', async () => {
      const r = await h.call('GET', 'nonsense');
      assert.equal(r.status, 404);
    });
    it("answers a missing resource with 404 ResourceNotFound in APIM's words", async () => {
      const r = await h.call('GET', 'apis/missing');
      assert.equal(r.status, 404);
      assert.deepEqual(r.body, { error: { code: 'ResourceNotFound', message: 'Api not found.' } });
      const op = await h.call('GET', 'apis/missing/operations/x');
      assert.deepEqual(op.body.error.message, 'Api not found.', 'a missing parent is reported as the parent');
    });
  });

  describe('bodies', () => {
    it('refuses malformed JSON with 400 and an ARM error body', async () => {
      const r = await h.call('PUT', 'products/bad', { raw: '{"properties": {"displayName": ' });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, 'InvalidRequestContent');
    });
    it('refuses a JSON body that is not an object', async () => {
      const r = await h.call('PUT', 'products/bad', { raw: '[1,2]' });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, 'InvalidRequestContent');
    });
    it('refuses a body over the size limit with 413', async () => {
      const r = await h.call('PUT', 'products/big', { body: { properties: { displayName: 'x', description: 'y'.repeat(5 * 1024 * 1024) } } });
      assert.equal(r.status, 413);
      assert.equal(r.body.error.code, 'RequestEntityTooLarge');
    });
    it('reports every invalid field in details[] (required, types, lengths, enums, unknown properties)', async () => {
      const r = await h.call('PUT', 'products/invalid', {
        body: { properties: { description: 5, state: 'open', subscriptionsLimit: 'ten', colour: 'red', terms: 't' } },
      });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, 'ValidationError');
      assert.equal(r.body.error.message, 'One or more fields contain incorrect values:');
      const targets = r.body.error.details.map((d: { target: string }) => d.target).sort();
      assert.deepEqual(targets, ['colour', 'description', 'displayName', 'state', 'subscriptionsLimit']);
      for (const d of r.body.error.details) assert.equal(d.code, 'ValidationError');
      const long = await h.call('PUT', 'products/invalid', { body: { properties: { displayName: 'x'.repeat(301) } } });
      assert.equal(long.status, 400);
      assert.equal(long.body.error.details[0].target, 'displayName');
    });
    it('drops read-only properties a client echoes back from a GET', async () => {
      const created = await h.call('PUT', 'apis/echoback', { body: { properties: { displayName: 'E', path: 'echoback' } } });
      const again = await h.call('PUT', 'apis/echoback', { body: { properties: created.body.properties } });
      assert.equal(again.status, 200);
    });
  });

  describe('ETags and conditions', () => {
    it('returns the ETag on GET, HEAD, PUT and a new one after every write', async () => {
      const put = await h.call('PUT', 'products/tagged', { body: { properties: { displayName: 'T' } } });
      assert.equal(put.status, 201);
      const etag = put.headers.get('etag');
      assert.ok(etag && /^".+"$/.test(etag));
      assert.equal((await h.call('GET', 'products/tagged')).headers.get('etag'), etag);
      const head = await h.call('HEAD', 'products/tagged');
      assert.equal(head.status, 200);
      assert.equal(head.headers.get('etag'), etag);
      assert.equal(head.text, '');
      const replaced = await h.call('PUT', 'products/tagged', { body: { properties: { displayName: 'T2' } } });
      assert.equal(replaced.status, 200);
      assert.notEqual(replaced.headers.get('etag'), etag);
      assert.equal((await h.call('HEAD', 'products/nothing')).status, 404);
    });
    it('PATCH needs If-Match (400 without), refuses a stale one with 412, accepts the current one and *', async () => {
      const put = await h.call('PUT', 'products/patched', { body: { properties: { displayName: 'P', description: 'd' } } });
      const etag = put.headers.get('etag')!;
      const none = await h.call('PATCH', 'products/patched', { body: { properties: { displayName: 'Q' } } });
      assert.equal(none.status, 400);
      assert.equal(none.body.error.details[0].target, 'If-Match');
      const ok = await h.call('PATCH', 'products/patched', { body: { properties: { displayName: 'Q' } }, headers: { 'if-match': etag } });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.properties.displayName, 'Q');
      assert.equal(ok.body.properties.description, 'd', 'PATCH keeps what it does not name');
      const stale = await h.call('PATCH', 'products/patched', { body: { properties: { displayName: 'R' } }, headers: { 'if-match': etag } });
      assert.equal(stale.status, 412);
      assert.equal(stale.body.error.code, 'PreconditionFailed');
      assert.equal((await h.call('GET', 'products/patched')).body.properties.displayName, 'Q');
      const star = await h.call('PATCH', 'products/patched', { body: { properties: { displayName: 'S' } }, headers: { 'if-match': '*' } });
      assert.equal(star.status, 200);
      const missing = await h.call('PATCH', 'products/nope', { body: { properties: { displayName: 'S' } }, headers: { 'if-match': '*' } });
      assert.equal(missing.status, 404);
    });
    it('PUT honours an optional If-Match and If-None-Match: *', async () => {
      const put = await h.call('PUT', 'products/cond', { body: { properties: { displayName: 'C' } } });
      const etag = put.headers.get('etag')!;
      const stale = await h.call('PUT', 'products/cond', { body: { properties: { displayName: 'D' } }, headers: { 'if-match': '"old"' } });
      assert.equal(stale.status, 412);
      const fresh = await h.call('PUT', 'products/cond', { body: { properties: { displayName: 'D' } }, headers: { 'if-match': etag } });
      assert.equal(fresh.status, 200);
      const createOnly = await h.call('PUT', 'products/cond', { body: { properties: { displayName: 'E' } }, headers: { 'if-none-match': '*' } });
      assert.equal(createOnly.status, 412);
      const created = await h.call('PUT', 'products/cond2', { body: { properties: { displayName: 'E' } }, headers: { 'if-none-match': '*' } });
      assert.equal(created.status, 201);
      const ifMatchMissing = await h.call('PUT', 'products/cond3', { body: { properties: { displayName: 'E' } }, headers: { 'if-match': '"x"' } });
      assert.equal(ifMatchMissing.status, 412);
    });
    it('If-Match takes the weak form, the bare tag and a list, as the ETag header gave them', async () => {
      const put = await h.call('PUT', 'products/forms', { body: { properties: { displayName: 'F0' } } });
      let etag = put.headers.get('etag')!;
      const forms = [(e: string) => `W/${e}`, (e: string) => e.slice(1, -1), (e: string) => `"other", ${e}`, (e: string) => `W/"other" , W/${e}`];
      for (const [n, formOf] of forms.entries()) {
        const form = formOf(etag);
        const ok = await h.call('PATCH', 'products/forms', { body: { properties: { displayName: `F${n + 1}` } }, headers: { 'if-match': form } });
        assert.equal(ok.status, 200, `If-Match: ${form}`);
        assert.equal(ok.body.properties.displayName, `F${n + 1}`);
        const stale = await h.call('PATCH', 'products/forms', { body: { properties: { displayName: 'no' } }, headers: { 'if-match': form } });
        assert.equal(stale.status, 412, `stale If-Match: ${form}`);
        etag = ok.headers.get('etag')!;
      }
      assert.equal((await h.call('DELETE', 'products/forms', { headers: { 'if-match': `W/${etag}` } })).status, 200);
    });
    it('DELETE needs If-Match, refuses a stale one, answers 200 when deleted and 204 when absent', async () => {
      const put = await h.call('PUT', 'products/doomed', { body: { properties: { displayName: 'X' } } });
      const etag = put.headers.get('etag')!;
      assert.equal((await h.call('DELETE', 'products/doomed')).status, 400);
      assert.equal((await h.call('DELETE', 'products/doomed', { headers: { 'if-match': '"stale"' } })).status, 412);
      assert.equal((await h.call('DELETE', 'products/doomed', { headers: { 'if-match': etag } })).status, 200);
      assert.equal((await h.call('GET', 'products/doomed')).status, 404);
      assert.equal((await h.call('DELETE', 'products/doomed', { headers: { 'if-match': '*' } })).status, 204);
    });
    it('lets exactly one of two concurrent conditional writes win', async () => {
      const put = await h.call('PUT', 'products/race', { body: { properties: { displayName: 'R0' } } });
      const etag = put.headers.get('etag')!;
      const results = await Promise.all(
        ['R1', 'R2', 'R3'].map((name) => h.call('PATCH', 'products/race', { body: { properties: { displayName: name } }, headers: { 'if-match': etag } })),
      );
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 412, 412]);
      const winner = results.find((r) => r.status === 200)!;
      const now = await h.call('GET', 'products/race');
      assert.equal(now.body.properties.displayName, winner.body.properties.displayName);
      assert.equal(now.headers.get('etag'), winner.headers.get('etag'));
    });
  });

  describe('lists', () => {
    before(async () => {
      for (let i = 1; i <= 5; i++) {
        await h.call('PUT', `apiVersionSets/set${i}`, {
          body: { properties: { displayName: i % 2 === 0 ? `Even set ${i}` : `Odd set ${i}`, versioningScheme: i === 5 ? 'Header' : 'Segment', versionHeaderName: i === 5 ? 'v' : undefined } },
        });
      }
    });
    it('answers value and count, with ARM ids and types', async () => {
      const r = await h.call('GET', 'apiVersionSets');
      assert.equal(r.status, 200);
      assert.equal(r.body.count, 5);
      assert.equal(r.body.value.length, 5);
      assert.equal(r.body.nextLink, undefined);
      assert.equal(r.body.value[0].type, 'Microsoft.ApiManagement/service/apiVersionSets');
      assert.equal(r.body.value[0].id, `${servicePath}/apiVersionSets/set1`);
    });
    it('pages with $top/$skip and a nextLink that fetches the rest', async () => {
      const first = await h.call('GET', 'apiVersionSets?$top=2');
      assert.equal(first.body.value.length, 2);
      assert.equal(first.body.count, 5);
      const names: string[] = first.body.value.map((v: { name: string }) => v.name);
      let next: string | undefined = first.body.nextLink;
      while (next) {
        const u = new URL(next);
        assert.equal(u.searchParams.get('api-version'), '2024-05-01');
        const page = await h.call('GET', u.pathname + u.search);
        names.push(...page.body.value.map((v: { name: string }) => v.name));
        next = page.body.nextLink;
      }
      assert.deepEqual(names, ['set1', 'set2', 'set3', 'set4', 'set5']);
      const skipped = await h.call('GET', 'apiVersionSets?$skip=4');
      assert.deepEqual(skipped.body.value.map((v: { name: string }) => v.name), ['set5']);
      assert.equal((await h.call('GET', 'apiVersionSets?$top=0')).status, 400);
      assert.equal((await h.call('GET', 'apiVersionSets?$skip=-1')).status, 400);
    });
    it('filters with the $filter forms the SDK sends', async () => {
      const names = async (filter: string): Promise<string[]> => {
        const r = await h.call('GET', `apiVersionSets?$filter=${encodeURIComponent(filter)}`);
        assert.equal(r.status, 200, `${filter}: ${r.text}`);
        return r.body.value.map((v: { name: string }) => v.name);
      };
      assert.deepEqual(await names("name eq 'set3'"), ['set3']);
      assert.deepEqual(await names("name eq 'SET3'"), ['set3'], 'case-insensitive');
      assert.deepEqual(await names("name ne 'set3'"), ['set1', 'set2', 'set4', 'set5']);
      assert.deepEqual(await names("contains(properties/displayName,'even')"), ['set2', 'set4']);
      assert.deepEqual(await names("startswith(properties/displayName, 'Odd')"), ['set1', 'set3', 'set5']);
      assert.deepEqual(await names("endswith(displayName,'5')"), ['set5']);
      assert.deepEqual(await names("contains(properties/displayName,'Odd') and properties/versioningScheme eq 'Header'"), ['set5']);
      assert.deepEqual(await names("name eq 'set1' or name eq 'set2'"), ['set1', 'set2']);
      assert.deepEqual(await names("not (name eq 'set1' or name eq 'set2') and name ne 'set5'"), ['set3', 'set4']);
      assert.deepEqual(await names("displayName eq 'It''s'"), []);
      const paged = await h.call('GET', `apiVersionSets?$top=1&$filter=${encodeURIComponent("contains(displayName,'set')")}`);
      assert.equal(paged.body.count, 5);
      assert.match(paged.body.nextLink, /filter=/);
    });
    it('refuses a malformed $filter with 400 ValidationError', async () => {
      for (const f of ["name eq", "name like 'x'", "contains(name 'x')", "name eq 'x"]) {
        const r = await h.call('GET', `apiVersionSets?$filter=${encodeURIComponent(f)}`);
        assert.equal(r.status, 400, f);
        assert.equal(r.body.error.details[0].target, '$filter');
      }
    });
  });

  describe('audit', () => {
    it('records every write with the actor and the ETags before and after', async () => {
      const put = await h.call('PUT', 'products/audited', { body: { properties: { displayName: 'A' } } });
      const etag = put.headers.get('etag')!.slice(1, -1);
      const records = await h.store.audit();
      const mine = records.filter((r) => r.id === 'products/audited');
      assert.equal(mine.length, 1);
      assert.equal(mine[0]!.actor, 'test-admin');
      assert.equal(mine[0]!.etagBefore, null);
      assert.equal(mine[0]!.etagAfter, etag);
    });
  });
});
