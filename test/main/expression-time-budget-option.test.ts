/**
 * `--expression-time-budget` and its `GATEHOUSE_EXPRESSION_TIME_BUDGET` twin: the runtime's
 * 500 ms by default, milliseconds or seconds from 10 ms to 60 s, and a start refused with a
 * message naming the flag otherwise.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStartOptions, UsageError } from '../../src/main/start-options.js';

describe('--expression-time-budget', () => {
  it('is half a second by default', () => {
    assert.equal(parseStartOptions([], {}).expressionTimeBudgetMs, 500);
  });

  it('takes milliseconds or seconds, from the flag or its environment twin (the flag wins)', () => {
    assert.equal(parseStartOptions(['--expression-time-budget', '250'], {}).expressionTimeBudgetMs, 250);
    assert.equal(parseStartOptions(['--expression-time-budget', '250ms'], {}).expressionTimeBudgetMs, 250);
    assert.equal(parseStartOptions(['--expression-time-budget', '2s'], {}).expressionTimeBudgetMs, 2000);
    assert.equal(parseStartOptions([], { GATEHOUSE_EXPRESSION_TIME_BUDGET: '10ms' }).expressionTimeBudgetMs, 10);
    assert.equal(parseStartOptions(['--expression-time-budget', '60s'], { GATEHOUSE_EXPRESSION_TIME_BUDGET: '10ms' }).expressionTimeBudgetMs, 60_000);
  });

  it('refuses times out of range or not understood', () => {
    for (const text of ['0', '9ms', '61s', '60001', '1.5s', '2m', 'soon', '+5', '5 s']) {
      assert.throws(
        () => parseStartOptions(['--expression-time-budget', text], {}),
        (err: Error) => err instanceof UsageError && err.message.startsWith(`Invalid --expression-time-budget '${text}': expected a time from 10ms to 60s`),
        text,
      );
    }
    assert.throws(
      () => parseStartOptions([], { GATEHOUSE_EXPRESSION_TIME_BUDGET: '0' }),
      (err: Error) => err instanceof UsageError && err.message.startsWith("Invalid GATEHOUSE_EXPRESSION_TIME_BUDGET '0'"),
    );
  });
});
