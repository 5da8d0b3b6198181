// Query redaction for the access log: secret parameters keep their name and lose their value,
// whatever their spelling; everything else is left byte for byte.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { redactQuery, secretQueryNames } from '../../src/gateway/redact-query.js';

describe('redactQuery', () => {
  const defaults = secretQueryNames(null);

  it('hides the default key parameter and the usual credential carriers', () => {
    assert.equal(redactQuery('a=1&subscription-key=S&sig=X&code=Y&access_token=Z&key=K&b=%20', defaults), 'a=1&subscription-key=***&sig=***&code=***&access_token=***&key=***&b=%20');
  });

  it('catches encoded and differently cased names, and every repetition', () => {
    assert.equal(redactQuery('Subscription%2Dkey=S&SIG=X&key=1&key=2', defaults), 'Subscription%2Dkey=***&SIG=***&key=***&key=***');
  });

  it("adds the API's own query parameter name", () => {
    const names = secretQueryNames({ subscriptionKeyParameterNames: { header: 'h', query: 'apikey' } });
    assert.equal(redactQuery('apikey=S&subscription-key=T', names), 'apikey=***&subscription-key=***');
    assert.equal(redactQuery('apikey=S', defaults), 'apikey=S');
  });

  it('leaves queries without secrets, bare names and empty parts unchanged', () => {
    assert.equal(redactQuery('', defaults), '');
    assert.equal(redactQuery('a=1&&b&=x', defaults), 'a=1&&b&=x');
    assert.equal(redactQuery('sig', defaults), 'sig=***');
  });
});
