import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  extractSubscriptionKey,
  subscriptionKeyNames,
} from '../../../src/gateway/subscriptions/extract-subscription-key.js';
import { SubscriptionIndex } from '../../../src/gateway/subscriptions/subscription-index.js';
import { HeaderMap } from '../../../src/pipeline/header-map.js';
import { RequestUrl } from '../../../src/pipeline/request-url.js';
import { api, config } from './fixture.js';

interface Row {
  name: string;
  names?: { header?: string; query?: string };
  headers: Record<string, string | string[]>;
  url: string;
  expect: string | undefined;
}

const rows: Row[] = [
  { name: 'default header', headers: { 'Ocp-Apim-Subscription-Key': 'h1' }, url: '/x', expect: 'h1' },
  { name: 'header name is case-insensitive', headers: { 'ocp-apim-subscription-key': 'h1' }, url: '/x', expect: 'h1' },
  { name: 'default query parameter', headers: {}, url: '/x?a=1&subscription-key=q1', expect: 'q1' },
  { name: 'header wins over query', headers: { 'Ocp-Apim-Subscription-Key': 'h1' }, url: '/x?subscription-key=q1', expect: 'h1' },
  { name: 'query used only when the header is absent', headers: { 'Other': 'h1' }, url: '/x?subscription-key=q1', expect: 'q1' },
  { name: 'empty header counts as absent', headers: { 'Ocp-Apim-Subscription-Key': '' }, url: '/x?subscription-key=q1', expect: 'q1' },
  { name: 'empty header and no query: no key', headers: { 'Ocp-Apim-Subscription-Key': '  ' }, url: '/x', expect: undefined },
  { name: 'nothing sent', headers: {}, url: '/x?other=1', expect: undefined },
  { name: 'empty query value: no key', headers: {}, url: '/x?subscription-key=', expect: undefined },
  { name: 'repeated query parameter: first non-empty', headers: {}, url: '/x?subscription-key=&subscription-key=q2&subscription-key=q3', expect: 'q2' },
  { name: 'query name compared exactly', headers: {}, url: '/x?Subscription-Key=q1', expect: undefined },
  { name: 'query value is decoded', headers: {}, url: '/x?subscription-key=a%2Fb%3D', expect: 'a/b=' },
  { name: 'custom header name', names: { header: 'X-Api-Key', query: 'apikey' }, headers: { 'x-api-key': 'c1' }, url: '/x', expect: 'c1' },
  { name: 'custom query name', names: { header: 'X-Api-Key', query: 'apikey' }, headers: {}, url: '/x?apikey=c2', expect: 'c2' },
  { name: 'custom names: default header ignored', names: { header: 'X-Api-Key', query: 'apikey' }, headers: { 'Ocp-Apim-Subscription-Key': 'h1' }, url: '/x', expect: undefined },
  { name: 'custom names: default query ignored', names: { header: 'X-Api-Key', query: 'apikey' }, headers: {}, url: '/x?subscription-key=q1', expect: undefined },
  { name: 'custom header only: query keeps its default', names: { header: 'X-Api-Key' }, headers: {}, url: '/x?subscription-key=q1', expect: 'q1' },
  { name: 'custom query only: header keeps its default', names: { query: 'apikey' }, headers: { 'Ocp-Apim-Subscription-Key': 'h1' }, url: '/x?apikey=q1', expect: 'h1' },
  { name: 'empty custom names mean the defaults', names: { header: '', query: '' }, headers: {}, url: '/x?subscription-key=q1', expect: 'q1' },
];

describe('extractSubscriptionKey', () => {
  for (const row of rows) {
    it(row.name, () => {
      const headers = HeaderMap.fromObject(row.headers);
      const query = RequestUrl.parse('http://gw.test' + row.url).query;
      const key = extractSubscriptionKey(api('a', true, row.names), (n) => headers.get(n), query);
      assert.equal(key, row.expect);
    });
  }

  it('reports the names in force', () => {
    assert.deepEqual(subscriptionKeyNames(api('a')), { header: 'Ocp-Apim-Subscription-Key', query: 'subscription-key' });
    assert.deepEqual(subscriptionKeyNames(api('a', true, { header: 'K' })), { header: 'K', query: 'subscription-key' });
  });
});

describe('key extraction and index together', () => {
  const index = SubscriptionIndex.build(config);
  const cases: Array<{ name: string; headers: Record<string, string>; url: string; apiName: string; expect: string }> = [
    { name: 'valid header key', headers: { 'Ocp-Apim-Subscription-Key': 'api-orders-primary' }, url: '/x', apiName: 'orders', expect: 'api-orders' },
    { name: 'valid query key', headers: {}, url: '/x?subscription-key=api-orders-secondary', apiName: 'orders', expect: 'api-orders' },
    // The header decides even when the query holds a valid key.
    { name: 'invalid header beats valid query', headers: { 'Ocp-Apim-Subscription-Key': 'wrong' }, url: '/x?subscription-key=api-orders-primary', apiName: 'orders', expect: 'SubscriptionKeyInvalid' },
    { name: 'nothing sent', headers: {}, url: '/x', apiName: 'orders', expect: 'SubscriptionKeyNotFound' },
    { name: 'custom API with its own header', headers: { 'X-Api-Key': 'custom-api-primary' }, url: '/x', apiName: 'custom', expect: 'custom-api' },
    { name: 'custom API ignores the default header', headers: { 'Ocp-Apim-Subscription-Key': 'custom-api-primary' }, url: '/x', apiName: 'custom', expect: 'SubscriptionKeyNotFound' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const target = config.apis.find((a) => a.name === c.apiName)!;
      const headers = HeaderMap.fromObject(c.headers);
      const key = extractSubscriptionKey(target, (n) => headers.get(n), RequestUrl.parse('http://gw.test' + c.url).query);
      const result = index.authorize(target, key);
      assert.equal(result.granted ? result.subscription?.name : result.code, c.expect);
    });
  }
});
