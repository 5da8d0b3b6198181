/**
 * log-to-eventhub and the loggers resource through the management API: a policy naming a logger
 * that does not exist, or one that is not an event hub logger, is refused when saved (Azure's
 * ValidationError with line and column); a logger a policy uses cannot be deleted or turned into
 * another type; an event hub logger's clear-text connection string must name a sink Gatehouse
 * can send to.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startManagement, type ManagementHarness } from './arm-harness.js';

const put = (h: ManagementHarness, path: string, properties: Record<string, unknown> = {}) => h.call('PUT', path, { body: { properties } });
const policy = (loggerId: string) => ({
  format: 'rawxml',
  value: `<policies>\n  <inbound>\n    <base />\n    <log-to-eventhub logger-id="${loggerId}" partition-key="@(context.Request.IpAddress)">@(context.RequestId.ToString())</log-to-eventhub>\n  </inbound>\n</policies>`,
});

describe('management API: log-to-eventhub and its logger', () => {
  let h: ManagementHarness;
  before(async () => {
    h = await startManagement();
    assert.equal((await put(h, 'apis/echo', { displayName: 'Echo', path: 'echo', serviceUrl: 'http://127.0.0.1:1' })).status, 201);
    assert.equal((await put(h, 'loggers/ai', { loggerType: 'applicationInsights', credentials: { instrumentationKey: 'k' } })).status, 201);
  });
  after(() => h.close());

  it('refuses a policy naming a logger that does not exist, or one of another type, with line and column', async () => {
    for (const [loggerId, message] of [['missing', /Logger with id 'missing' could not be found/], ['ai', /of type applicationInsights/]] as const) {
      const r = await put(h, 'apis/echo/policies/policy', policy(loggerId));
      assert.equal(r.status, 400, r.text);
      assert.equal(r.body.error.code, 'ValidationError');
      assert.equal(r.body.error.details[0].target, 'log-to-eventhub');
      assert.match(r.body.error.details[0].message, /on line 4, column \d+/);
      assert.match(r.body.error.details[0].message, message);
    }
  });

  it('accepts it once the event hub logger exists (any casing), and then keeps the logger while the policy uses it', async () => {
    assert.equal((await put(h, 'loggers/events', { loggerType: 'azureEventHub', credentials: { name: 'hub', connectionString: 'nats://127.0.0.1:4222' } })).status, 201);
    const saved = await put(h, 'apis/echo/policies/policy', policy('Events'));
    assert.equal(saved.status, 201, saved.text);
    const deleted = await h.call('DELETE', 'loggers/events', { headers: { 'if-match': '*' } });
    assert.equal(deleted.status, 400, deleted.text);
    assert.equal(deleted.body.error.details[0].target, 'apis/echo/policies/policy');
    assert.match(deleted.body.error.details[0].message, /The logger is used by a policy.*could not be found/);
    assert.equal((await h.call('GET', 'loggers/events')).status, 200, 'still there');
    const retyped = await put(h, 'loggers/events', { loggerType: 'azureMonitor' });
    assert.equal(retyped.status, 400, retyped.text);
    assert.match(retyped.body.error.details[0].message, /of type azureMonitor/);
    // Without the policy the logger goes.
    assert.equal((await h.call('DELETE', 'apis/echo/policies/policy', { headers: { 'if-match': '*' } })).status, 200);
    assert.equal((await h.call('DELETE', 'loggers/events', { headers: { 'if-match': '*' } })).status, 200);
  });

  it("refuses an event hub logger's clear-text connection string that names no sink", async () => {
    const r = await put(h, 'loggers/odd', { loggerType: 'azureEventHub', credentials: { name: 'hub', connectionString: 'redis://127.0.0.1:6379' } });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.error.details[0].target, 'credentials.connectionString');
    for (const connectionString of ['amqp://guest:guest@127.0.0.1:5672', 'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=v']) {
      assert.equal((await put(h, 'loggers/odd', { loggerType: 'azureEventHub', credentials: { name: 'hub', connectionString } })).status < 300, true, connectionString);
    }
  });
});
