/**
 * `GATEHOUSE_CONFIG_POLL_MS` (config-poll-option.ts): read by `start`'s option parser, whole
 * milliseconds from 50 to one hour; anything else stops the start with a message naming it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStartOptions, UsageError } from '../../src/main/start-options.js';

describe('GATEHOUSE_CONFIG_POLL_MS', () => {
  it('is unset by default (live config picks the poll for the store) and empty counts as unset', () => {
    assert.equal(parseStartOptions([], {}).configPollMs, undefined);
    assert.equal(parseStartOptions([], { GATEHOUSE_CONFIG_POLL_MS: '' }).configPollMs, undefined);
  });

  it('takes whole milliseconds from 50 to an hour', () => {
    for (const [text, ms] of [['50', 50], ['5000', 5000], ['3600000', 3_600_000]] as const) {
      assert.equal(parseStartOptions([], { GATEHOUSE_CONFIG_POLL_MS: text }).configPollMs, ms);
    }
  });

  it('refuses anything else with a message naming the variable and the range', () => {
    for (const text of ['49', '0', '3600001', '-5', '5s', '1e3', ' 200', '200.5', 'x'.repeat(500)]) {
      assert.throws(
        () => parseStartOptions([], { GATEHOUSE_CONFIG_POLL_MS: text }),
        (err: unknown) => err instanceof UsageError && /GATEHOUSE_CONFIG_POLL_MS/.test(err.message) && /50 to 3600000/.test(err.message) && err.message.length < 200,
        text,
      );
    }
  });
});
