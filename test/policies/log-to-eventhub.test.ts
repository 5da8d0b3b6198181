import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { EventLogging, EventMessage } from '../../src/pipeline/event-logging.js';
import { cutToBytes, maxEventMessageBytes } from '../../src/policies/log-to-eventhub.js';
import { compileOnly, expectCompileError, runPolicies } from '../helpers/policy-harness.js';

const inbound = (body: string) => `<policies><inbound>${body}<return-response /></inbound><backend><base /></backend><outbound /><on-error /></policies>`;
const loggers = { 'contoso-logger': 'azureEventHub', ai: 'applicationInsights' };

/** The port log-to-eventhub hands its messages to, keeping them by logger. */
function recording(): EventLogging & { sent: Array<[string, EventMessage]> } {
  const sent: Array<[string, EventMessage]> = [];
  return { sent, enqueue: (name, message) => (sent.push([name, message]), 'queued') };
}

describe('log-to-eventhub', () => {
  it("sends the element's text, an expression, to the logger it names (as the logger is spelled)", async () => {
    const events = recording();
    const r = await runPolicies({
      api: inbound(`<log-to-eventhub logger-id="CONTOSO-logger">
        @( string.Join(",", context.Request.Method, context.Request.IpAddress, context.Api.Id) )
      </log-to-eventhub>`),
      apiModel: { name: 'orders' },
      loggers,
      eventLogging: events,
    }, { method: 'POST', ip: '10.0.0.9' });
    assert.equal(r.status, 200);
    assert.deepEqual(events.sent, [['contoso-logger', { body: 'POST,10.0.0.9,orders', partitionId: undefined, partitionKey: undefined }]]);
  });

  it('passes partition-id as written and partition-key as its expression gives it', async () => {
    const events = recording();
    await runPolicies({
      api: inbound(`<log-to-eventhub logger-id="contoso-logger" partition-id="3">by id</log-to-eventhub>
        <log-to-eventhub logger-id="contoso-logger" partition-key="@(context.Request.Headers.GetValueOrDefault(&quot;x-tenant&quot;, &quot;none&quot;))">by key</log-to-eventhub>`),
      loggers,
      eventLogging: events,
    }, { headers: { 'x-tenant': 'fabrikam' } });
    assert.deepEqual(events.sent.map(([, m]) => m), [
      { body: 'by id', partitionId: '3', partitionKey: undefined },
      { body: 'by key', partitionId: undefined, partitionKey: 'fabrikam' },
    ]);
  });

  it('cuts a message longer than 200 KB to 200 KB, as Azure does, never inside a character', async () => {
    const events = recording();
    const body = 'é'.repeat(150_000);
    await runPolicies({ api: inbound('<log-to-eventhub logger-id="contoso-logger">@(context.Request.Body.As&lt;string&gt;())</log-to-eventhub>'), loggers, eventLogging: events }, { method: 'POST', body });
    const sent = events.sent[0]![1].body;
    assert.equal(Buffer.byteLength(sent), maxEventMessageBytes);
    assert.equal(sent, 'é'.repeat(maxEventMessageBytes / 2));
    assert.deepEqual(cutToBytes('aé', 2), { text: 'a', truncated: true });
    assert.deepEqual(cutToBytes('short', 10), { text: 'short', truncated: false });
  });

  it('never fails the request: without a sender the message is dropped and the pipeline goes on', async () => {
    const r = await runPolicies({ api: inbound('<log-to-eventhub logger-id="contoso-logger">x</log-to-eventhub><set-variable name="after" value="yes" />'), loggers });
    assert.equal(r.status, 200);
    assert.equal(r.gw.variables.get('after'), 'yes');
  });

  it('records what it did in a traced request', async () => {
    const entries: Array<[string, string, unknown]> = [];
    await runPolicies({
      api: inbound('<log-to-eventhub logger-id="contoso-logger" partition-key="k">hello</log-to-eventhub>'),
      loggers,
      eventLogging: recording(),
      requestTrace: { record: (section, source, data) => void entries.push([section, source, data]) },
    });
    // The other policies of the document record their own steps (docs/tracing.md).
    assert.deepEqual(entries.filter(([, source]) => source === 'log-to-eventhub'), [['inbound', 'log-to-eventhub', { loggerId: 'contoso-logger', partitionId: null, partitionKey: 'k', bytes: 5, truncated: false, handover: 'queued' }]]);
  });

  it("runs Azure's VS Code snippet filled in", async () => {
    const snippets = JSON.parse(readFileSync(new URL('../fixtures/corpus/policy-snippets/vscode-snippets-xml.json', import.meta.url), 'utf8')) as Record<string, { body: string[] }>;
    const filled = snippets['log-to-eventhub']!.body.join('\n').replace('$1', 'contoso-logger').replace('$2', '"seen " + context.Request.Method');
    const events = recording();
    await runPolicies({ api: inbound(filled), loggers, eventLogging: events });
    assert.deepEqual(events.sent, [['contoso-logger', { body: 'seen GET', partitionId: undefined, partitionKey: undefined }]]);
  });

  it('runs in every section and scope', () => {
    for (const section of ['inbound', 'backend', 'outbound', 'on-error']) {
      for (const scope of ['global', 'product', 'api', 'operation'] as const) {
        compileOnly(`<policies><${section}><log-to-eventhub logger-id="contoso-logger">x</log-to-eventhub></${section}></policies>`, scope, { loggers });
      }
    }
  });

  it('refuses, when saved, a logger that does not exist or is not an event hub logger', () => {
    const missing = expectCompileError(inbound('\n  <log-to-eventhub logger-id="nope">x</log-to-eventhub>'), 'api', { loggers });
    assert.equal(missing.element, 'log-to-eventhub');
    assert.equal(missing.line, 2);
    assert.match(missing.reason, /Logger with id 'nope' could not be found/);
    const wrongType = expectCompileError(inbound('<log-to-eventhub logger-id="ai">x</log-to-eventhub>'), 'api', { loggers });
    assert.match(wrongType.reason, /of type applicationInsights.*azureEventHub/);
    // Without any logger (the compile environment of a test or an older caller) nothing is found.
    assert.match(expectCompileError(inbound('<log-to-eventhub logger-id="contoso-logger">x</log-to-eventhub>')).reason, /could not be found/);
  });

  it('refuses bad attributes and content at save time', () => {
    const cases: Array<[string, RegExp]> = [
      ['<log-to-eventhub>x</log-to-eventhub>', /logger-id/],
      ['<log-to-eventhub logger-id="@(&quot;contoso-logger&quot;)">x</log-to-eventhub>', /expression/i],
      ['<log-to-eventhub logger-id="contoso-logger" partition-id="1" partition-key="k">x</log-to-eventhub>', /Only one of the 'partition-id' and 'partition-key'/],
      ['<log-to-eventhub logger-id="contoso-logger" partition-id="first">x</log-to-eventhub>', /index of a partition/],
      ['<log-to-eventhub logger-id="contoso-logger" partition-id="@(1)">x</log-to-eventhub>', /expression/i],
      ['<log-to-eventhub logger-id="contoso-logger" partition="1">x</log-to-eventhub>', /partition/],
      ['<log-to-eventhub logger-id="contoso-logger"><message>x</message></log-to-eventhub>', /'message' is not allowed/],
      ['<log-to-eventhub logger-id="contoso-logger">@(context.Nope)</log-to-eventhub>', /Nope/],
    ];
    for (const [xml, reason] of cases) {
      const err = expectCompileError(inbound(xml), 'api', { loggers });
      assert.ok(['log-to-eventhub', 'message'].includes(err.element), xml);
      assert.match(err.reason, reason, xml);
      assert.ok(err.line >= 1 && err.column >= 1);
    }
  });
});
