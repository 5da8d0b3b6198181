import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { humanizedDuration, tokenQuotaPeriod } from '../../../src/policies/llm/token-quota-period.js';

const at = (iso: string) => Date.parse(iso);

describe('token quota periods', () => {
  it('are calendar windows in UTC', () => {
    const now = at('2026-12-09T13:45:10.500Z'); // a Wednesday
    const iso = (p: { start: number; end: number }) => [new Date(p.start).toISOString(), new Date(p.end).toISOString()];
    assert.deepEqual(iso(tokenQuotaPeriod('Hourly', now)), ['2026-12-09T13:00:00.000Z', '2026-12-09T14:00:00.000Z']);
    assert.deepEqual(iso(tokenQuotaPeriod('Daily', now)), ['2026-12-09T00:00:00.000Z', '2026-12-10T00:00:00.000Z']);
    assert.deepEqual(iso(tokenQuotaPeriod('Weekly', now)), ['2026-12-07T00:00:00.000Z', '2026-12-14T00:00:00.000Z']);
    assert.deepEqual(iso(tokenQuotaPeriod('Monthly', now)), ['2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    assert.deepEqual(iso(tokenQuotaPeriod('Yearly', now)), ['2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    // A Sunday belongs to the week that began the Monday before.
    assert.deepEqual(iso(tokenQuotaPeriod('Weekly', at('2026-12-13T23:59:59Z'))), ['2026-12-07T00:00:00.000Z', '2026-12-14T00:00:00.000Z']);
    // February of a leap year.
    assert.deepEqual(iso(tokenQuotaPeriod('Monthly', at('2028-02-29T12:00:00Z'))), ['2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z']);
  });

  it('words the time left with its two largest units', () => {
    assert.equal(humanizedDuration((21 * 60 + 33) * 1000), '21 minutes and 33 seconds');
    assert.equal(humanizedDuration((24 * 86_400 + 14 * 3600 + 5) * 1000), '24 days and 14 hours');
    assert.equal(humanizedDuration(3_600_000 + 1000), '1 hour and 1 second');
    assert.equal(humanizedDuration(1), '1 second');
    assert.equal(humanizedDuration(0), '1 second');
    assert.equal(humanizedDuration(120_000), '2 minutes');
  });
});
