/** The request trace recorder: Azure's timestamp and elapsed forms, sections, masking and bounds. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { maxTraceEntries, TraceRecorder, traceElapsed, traceTimestamp } from '../../src/pipeline/trace-recorder.js';
import { alwaysMaskedHeaders, maskTraceData } from '../../src/pipeline/trace-masking.js';
import { secretQueryNames } from '../../src/gateway/redact-query.js';

const masking = { headers: new Set([...alwaysMaskedHeaders, 'x-my-key']), query: new Set([...secretQueryNames(null), 'code']), values: ['s3cr3t-value', 'KEY123'] };

describe('trace recorder', () => {
  it("writes elapsed as .NET's TimeSpan and timestamps with seven fractional digits", () => {
    assert.equal(traceElapsed(72.5926), '00:00:00.0725926');
    assert.equal(traceElapsed(3_723_004.5), '01:02:03.0045000');
    assert.equal(traceElapsed(86_400_000 + 1), '1.00:00:00.0010000');
    assert.equal(traceTimestamp(Date.UTC(2023, 4, 3, 12, 3, 4, 689) + 0.9436), '2023-05-03T12:03:04.6899436Z');
  });

  it('keeps entries per section in order with source, timestamp, elapsed and data', () => {
    const now = Date.now();
    const recorder = new TraceRecorder('managed', masking, now - 5, now);
    recorder.record('inbound', 'set-variable', { name: 'a', value: 1 });
    recorder.record('backend', 'forward-request', 'message');
    recorder.record('inbound', 'set-header', { header: { name: 'X', value: 'y' } });
    const doc = recorder.document();
    assert.equal(doc.gatewayId, 'managed');
    assert.match(doc.traceId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(Object.keys(doc.traceEntries), ['inbound', 'backend']);
    assert.deepEqual(doc.traceEntries.inbound!.map((e) => e.source), ['set-variable', 'set-header']);
    for (const entry of doc.traceEntries.inbound!) {
      assert.match(entry.elapsed, /^00:00:00\.\d{7}$/);
      assert.match(entry.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
    }
    assert.ok(doc.traceEntries.inbound![0]!.elapsed >= '00:00:00.0050000', 'elapsed counts from the arrival');
  });

  it('masks secret headers (pairs and keys), key query parameters and secret values anywhere', () => {
    // [header, value sent, value the trace shows]
    const headers = [
      ['Authorization', 'Bearer abc', '***'],
      ['X-My-Key', 'k', '***'],
      ['Accept', 'text/plain', 'text/plain'],
    ];
    const masked = maskTraceData(
      {
        headers: headers.map(([name, value]) => ({ name, value })),
        url: 'http://h/p?subscription-key=KEY123&x=1&code=zzz',
        nested: { 'Ocp-Apim-Subscription-Key': 'abc', text: 'the s3cr3t-value and KEY123 again' },
      },
      masking,
    ) as Record<string, unknown>;
    assert.deepEqual(masked.headers, headers.map(([name, , shown]) => ({ name, value: shown })));
    assert.equal(masked.url, 'http://h/p?subscription-key=***&x=1&code=***');
    assert.deepEqual(masked.nested, { 'Ocp-Apim-Subscription-Key': '***', text: 'the *** and *** again' });
  });

  it('bounds the number of entries and the bytes of data one trace keeps', () => {
    const recorder = new TraceRecorder('managed', masking, Date.now(), Date.now());
    for (let i = 0; i < maxTraceEntries + 10; i++) recorder.record('inbound', 'set-variable', { i });
    const inbound = recorder.document().traceEntries.inbound!;
    assert.equal(inbound.length, maxTraceEntries + 1);
    assert.match(String(inbound[inbound.length - 1]!.data), /10 more steps were not recorded/);
    const big = new TraceRecorder('managed', masking, Date.now(), Date.now());
    const large = 'x'.repeat(600 * 1024);
    big.record('inbound', 'a', { large });
    big.record('inbound', 'b', { large });
    const entries = big.document().traceEntries.inbound!;
    assert.deepEqual((entries[0]!.data as { large: string }).large.length, large.length);
    assert.match(String(entries[1]!.data), /Data left out/);
  });
});
