/**
 * Reading a backend's `circuitBreaker` (src/model/circuit-breaker-rule.ts) and the ISO 8601
 * durations it uses: what is accepted becomes the rule the gateway enforces, and each bad value
 * is refused naming its property.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CircuitBreakerProblem, readCircuitBreaker } from '../../src/model/circuit-breaker-rule.js';
import { parseIsoDuration } from '../../src/model/iso-duration.js';

const good = {
  rules: [
    {
      name: 'breaker',
      failureCondition: { count: 3, interval: 'PT1M', statusCodeRanges: [{ min: 500, max: 599 }], errorReasons: ['Server errors'] },
      tripDuration: 'PT0.5S',
      acceptRetryAfter: true,
    },
  ],
};

/** The target of the problem reading `raw` raises. */
function problemAt(raw: unknown, type: 'Single' | 'Pool' = 'Single'): string {
  try {
    readCircuitBreaker(raw, type);
  } catch (err) {
    if (err instanceof CircuitBreakerProblem) return `${err.target}: ${err.message}`;
    throw err;
  }
  assert.fail(`accepted: ${JSON.stringify(raw)}`);
}

function withRule(change: (rule: Record<string, any>) => void): unknown {
  const copy = structuredClone(good) as { rules: Array<Record<string, any>> };
  change(copy.rules[0]!);
  return copy;
}

describe('ISO 8601 durations', () => {
  it('reads days, hours, minutes and seconds into milliseconds', () => {
    assert.equal(parseIsoDuration('PT1M'), 60_000);
    assert.equal(parseIsoDuration('PT0.5S'), 500);
    assert.equal(parseIsoDuration('P1DT2H3M4S'), 93_784_000);
    assert.equal(parseIsoDuration('P2D'), 172_800_000);
    assert.equal(parseIsoDuration('PT0S'), 0);
  });
  it('refuses other forms', () => {
    for (const bad of ['', 'P', 'PT', 'P1DT', '1M', 'PT1.M', 'P1Y', 'P1W', 'PT-1S', 'pt1m', 'PT1H ', '1 hour']) {
      assert.equal(parseIsoDuration(bad), undefined, bad);
    }
  });
});

describe('circuitBreaker property', () => {
  it('reads a rule into the model, durations in milliseconds', () => {
    assert.deepEqual(readCircuitBreaker(good, 'Single'), {
      rules: [
        {
          name: 'breaker',
          failureCondition: { count: 3, intervalMs: 60_000, statusCodeRanges: [{ min: 500, max: 599 }], errorReasons: ['Server errors'] },
          tripDurationMs: 500,
          acceptRetryAfter: true,
        },
      ],
    });
    assert.equal(readCircuitBreaker(undefined, 'Single'), undefined);
    assert.equal(readCircuitBreaker(null, 'Single'), undefined);
    assert.deepEqual(readCircuitBreaker({ rules: [] }, 'Pool'), { rules: [] });
    const share = readCircuitBreaker(withRule((r) => { delete r.failureCondition.count; r.failureCondition.percentage = 40; delete r.acceptRetryAfter; }), 'Single');
    assert.equal(share!.rules[0]!.failureCondition.percentage, 40);
    assert.equal(share!.rules[0]!.failureCondition.count, undefined);
    assert.equal(share!.rules[0]!.acceptRetryAfter, false);
  });

  it('refuses each bad value, naming its property', () => {
    const cases: Array<[unknown, string]> = [
      ['on', "circuitBreaker: 'circuitBreaker' must be an object."],
      [{ rules: {} }, "circuitBreaker.rules: 'circuitBreaker.rules' must be an array."],
      [{ rules: [good.rules[0], good.rules[0]] }, 'circuitBreaker.rules: Only one circuit breaker rule is supported per backend.'],
      [withRule((r) => delete r.name), "circuitBreaker.rules[0].name: 'circuitBreaker.rules[0].name' is required."],
      [withRule((r) => delete r.failureCondition), "circuitBreaker.rules[0].failureCondition: 'circuitBreaker.rules[0].failureCondition' is required."],
      [withRule((r) => (r.failureCondition.count = 0)), "circuitBreaker.rules[0].failureCondition.count: 'circuitBreaker.rules[0].failureCondition.count' must be between 1 and 9007199254740991."],
      [withRule((r) => (r.failureCondition.count = 2.5)), "circuitBreaker.rules[0].failureCondition.count: 'circuitBreaker.rules[0].failureCondition.count' must be an integer."],
      [withRule((r) => (r.failureCondition.percentage = 101)), "circuitBreaker.rules[0].failureCondition.percentage: 'circuitBreaker.rules[0].failureCondition.percentage' must be between 1 and 100."],
      [withRule((r) => delete r.failureCondition.count), "circuitBreaker.rules[0].failureCondition: 'circuitBreaker.rules[0].failureCondition' needs a 'count' or a 'percentage' of failures to trip on."],
      [withRule((r) => delete r.failureCondition.interval), "circuitBreaker.rules[0].failureCondition.interval: 'circuitBreaker.rules[0].failureCondition.interval' is required."],
      [withRule((r) => (r.failureCondition.interval = '1 minute')), "circuitBreaker.rules[0].failureCondition.interval: 'circuitBreaker.rules[0].failureCondition.interval' must be an ISO 8601 duration of days, hours, minutes and seconds, such as 'PT1M'."],
      [withRule((r) => (r.tripDuration = 'PT0S')), "circuitBreaker.rules[0].tripDuration: 'circuitBreaker.rules[0].tripDuration' must be longer than zero."],
      [withRule((r) => (r.tripDuration = 60)), "circuitBreaker.rules[0].tripDuration: 'circuitBreaker.rules[0].tripDuration' must be an ISO 8601 duration of days, hours, minutes and seconds, such as 'PT1M'."],
      [withRule((r) => delete r.tripDuration), "circuitBreaker.rules[0].tripDuration: 'circuitBreaker.rules[0].tripDuration' is required."],
      [withRule((r) => (r.failureCondition.statusCodeRanges = [{ min: 599, max: 500 }])), "circuitBreaker.rules[0].failureCondition.statusCodeRanges[0]: 'circuitBreaker.rules[0].failureCondition.statusCodeRanges[0].min' (599) must not be greater than 'circuitBreaker.rules[0].failureCondition.statusCodeRanges[0].max' (500)."],
      [withRule((r) => (r.failureCondition.statusCodeRanges = [{ min: 500 }])), "circuitBreaker.rules[0].failureCondition.statusCodeRanges[0]: 'circuitBreaker.rules[0].failureCondition.statusCodeRanges[0]' needs both 'min' and 'max'."],
      [withRule((r) => (r.failureCondition.statusCodeRanges = [{ min: 100, max: 199 }])), "circuitBreaker.rules[0].failureCondition.statusCodeRanges[0].min: 'circuitBreaker.rules[0].failureCondition.statusCodeRanges[0].min' must be between 200 and 599."],
      [withRule((r) => (r.failureCondition.statusCodeRanges = 'all')), "circuitBreaker.rules[0].failureCondition.statusCodeRanges: 'circuitBreaker.rules[0].failureCondition.statusCodeRanges' must be an array."],
      [withRule((r) => (r.failureCondition.errorReasons = [7])), "circuitBreaker.rules[0].failureCondition.errorReasons[0]: 'circuitBreaker.rules[0].failureCondition.errorReasons[0]' must be a string."],
      [withRule((r) => (r.acceptRetryAfter = 'yes')), "circuitBreaker.rules[0].acceptRetryAfter: 'circuitBreaker.rules[0].acceptRetryAfter' must be a boolean."],
    ];
    for (const [raw, expected] of cases) assert.equal(problemAt(raw), expected);
  });

  it('refuses a rule on a pool: its members carry the breakers', () => {
    assert.equal(problemAt(good, 'Pool'), "circuitBreaker: A backend pool has no circuit breaker of its own: set the rule on the pool's member backends.");
  });
});
