/** `--log-level` and `--log-format` (log-options.ts): auto is readable on a terminal only. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveLogFormat } from '../../src/main/log-options.js';
import { parseStartOptions, UsageError } from '../../src/main/start-options.js';

describe('log options', () => {
  it('defaults to info and auto, and reads the GATEHOUSE_LOG_* twins', () => {
    assert.deepEqual(parseStartOptions([], {}).logging, { level: 'info', format: 'auto' });
    assert.deepEqual(parseStartOptions([], { GATEHOUSE_LOG_LEVEL: 'warn', GATEHOUSE_LOG_FORMAT: 'json' }).logging, { level: 'warn', format: 'json' });
    assert.deepEqual(parseStartOptions(['--log-format', 'pretty', '--log-level', 'debug'], { GATEHOUSE_LOG_FORMAT: 'json' }).logging, { level: 'debug', format: 'pretty' });
  });

  it('refuses unknown levels and formats', () => {
    assert.throws(() => parseStartOptions(['--log-level', 'loud'], {}), (err: Error) => err instanceof UsageError && /^Invalid --log-level 'loud'/.test(err.message));
    assert.throws(() => parseStartOptions(['--log-format', 'yaml'], {}), (err: Error) => err instanceof UsageError && /^Invalid --log-format 'yaml'/.test(err.message));
  });

  it('auto means pretty on a terminal and JSON elsewhere; an explicit format wins', () => {
    assert.equal(resolveLogFormat('auto', true), 'pretty');
    assert.equal(resolveLogFormat('auto', false), 'json');
    assert.equal(resolveLogFormat('json', true), 'json');
    assert.equal(resolveLogFormat('pretty', false), 'pretty');
  });
});
