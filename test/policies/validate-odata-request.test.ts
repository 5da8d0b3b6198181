import { describe, it } from 'node:test';
import { Readable } from 'node:stream';
import assert from 'node:assert/strict';
import { expectCompileError, runPolicies } from '../helpers/policy-harness.js';
import type { ODataProblem } from '../../src/policies/odata/odata-request-check.js';

const pass = '<return-response><set-status code="204" reason="No Content" /></return-response>';
const doc = (attrs: string) => `<policies><inbound><validate-odata-request ${attrs} />${pass}</inbound></policies>`;
const run = (attrs: string, url: string, headers: Record<string, string> = {}, extra: { method?: string; body?: string | Readable } = {}) =>
  runPolicies({ api: doc(attrs) }, { url: `http://gateway.test/api/op${url}`, headers, ...extra });

describe('validate-odata-request', () => {
  it('lets a conforming request through', async () => {
    const r = await run('error-variable-name="odataErrors"', "?$filter=Name eq 'O''Neil' and (Age gt 3)&$select=Name,Address/City&$orderby=Name desc,Age&$top=10&$skip=0&$count=true&$expand=Orders($top=1)&custom=1", { 'OData-Version': '4.0' });
    assert.equal(r.status, 204, JSON.stringify(r.gw.lastError));
    assert.deepEqual(r.gw.variables.get('odataErrors'), []);
  });

  const refused: Array<[string, string, string, Record<string, string>, RegExp]> = [
    ['an unknown OData-Version', '', '', { 'OData-Version': '5.0' }, /OData-Version header value '5\.0' is not a supported OData version/],
    ['a version under min-odata-version', 'min-odata-version="4.01"', '', { 'OData-Version': '4.0' }, /OData version 4\.0 is lower than the minimum version 4\.01/],
    ['the default version under min-odata-version', 'min-odata-version="4.01"', '', {}, /OData version 4\.0 is lower than the minimum/],
    ['a version over max-odata-version', 'max-odata-version="4.0"', '', { 'OData-Version': '4.01' }, /higher than the maximum version 4\.0/],
    ['an OData-MaxVersion under the minimum', 'min-odata-version="4.01" default-odata-version="4.01"', '', { 'OData-MaxVersion': '4.0' }, /OData-MaxVersion 4\.0 is lower than the minimum/],
    ['an unknown system query option', '', '?$frobnicate=1', {}, /'\$frobnicate' is not an OData 4\.0 system query option/],
    ['an upper-case option in 4.0', '', '?$TOP=1', {}, /system query options are lower case/],
    ['a 4.01 option in 4.0', '', '?$compute=a add b as c', {}, /'\$compute' is not an OData 4\.0/],
    ['a negative $top', '', '?$top=-1', {}, /\$top must be a non-negative integer/],
    ['a $count that is not a Boolean', '', '?$count=yes', {}, /\$count must be true or false/],
    ['an option twice', '', '?$top=1&$top=2', {}, /\$top appears more than once/],
    ['unbalanced parentheses in $filter', '', "?$filter=(Name eq 'a'", {}, /unbalanced/],
    ['a bad $orderby', '', '?$orderby=Name sideways', {}, /not a valid \$orderby/],
  ];
  for (const [what, attrs, url, headers, message] of refused) {
    it(`refuses ${what} with 400`, async () => {
      const r = await run(`error-variable-name="errs" ${attrs}`, url, headers);
      assert.equal(r.status, 400);
      assert.equal(r.gw.lastError?.source, 'validate-odata-request');
      const body = r.json<{ statusCode: number; message: string }>();
      assert.equal(body.statusCode, 400);
      assert.match(body.message, message);
      const errs = r.gw.variables.get('errs') as ODataProblem[];
      assert.ok(errs.length >= 1 && errs[0]!.Action === 'prevent');
    });
  }

  it('4.01 takes option names case-insensitively and without $', async () => {
    const r = await run('', '?top=1&$Skip=2&$compute=a add b as c', { 'OData-Version': '4.01' });
    assert.equal(r.status, 204, JSON.stringify(r.gw.lastError));
  });

  it('default-odata-version decides the rules without the header', async () => {
    assert.equal((await run('default-odata-version="4.01"', '?$index=3')).status, 204);
    assert.equal((await run('', '?$index=3')).status, 400);
  });

  it('refuses a body over max-size, declared or streamed', async () => {
    const body = '{"name":"far too long"}';
    const big = await run('max-size="10"', '', { 'content-type': 'application/json', 'content-length': String(body.length) }, { method: 'POST', body });
    assert.equal(big.status, 400);
    assert.equal(big.json<{ message: string }>().message, "Request's body is 23 bytes long and it exceeds the limit of 10 bytes.");
    const streamed = await run('max-size="10"', '', { 'content-type': 'application/json' }, { method: 'POST', body: Readable.from([Buffer.from(body)]) });
    assert.equal(streamed.status, 400);
    assert.equal(streamed.json<{ message: string }>().message, "Request's body exceeds the limit of 10 bytes.");
    const small = await run('max-size="100"', '', { 'content-type': 'application/json' }, { method: 'POST', body: '{"a":1}' });
    assert.equal(small.status, 204);
  });

  it('is refused with a bad version, a min over max, a bad max-size, at operation scope and outside inbound', () => {
    assert.match(expectCompileError(doc('default-odata-version="3.0"')).reason, /'3\.0' is not a supported OData version/);
    assert.match(expectCompileError(doc('min-odata-version="4.01" max-odata-version="4.0"')).reason, /higher than max-odata-version/);
    assert.equal(expectCompileError(doc('max-size="lots"')).element, 'validate-odata-request');
    assert.equal(expectCompileError(doc(''), 'operation').element, 'validate-odata-request');
    assert.equal(expectCompileError('<policies><outbound><validate-odata-request /></outbound></policies>').element, 'validate-odata-request');
  });
});
