/** A bad value is reported under the name the user gave it: the flag, or the environment variable. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStartOptions, UsageError } from '../../src/main/start-options.js';

function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    assert.ok(err instanceof UsageError, String(err));
    return err.message;
  }
  assert.fail('no usage error');
}

describe('start option messages name their source', () => {
  it('names GATEHOUSE_GATEWAY_PORT for a bad value from the environment', () => {
    assert.equal(
      usageMessage(() => parseStartOptions([], { GATEHOUSE_GATEWAY_PORT: 'abc' })),
      "Invalid GATEHOUSE_GATEWAY_PORT 'abc': expected a port number 0-65535 (0 picks a free port).",
    );
  });

  it('names the flag for a bad value on the command line, even with the variable set', () => {
    assert.match(usageMessage(() => parseStartOptions(['--gateway-port', 'x'], { GATEHOUSE_GATEWAY_PORT: '80' })), /^Invalid --gateway-port 'x'/);
  });

  it('does the same for the other validated options', () => {
    assert.match(usageMessage(() => parseStartOptions([], { GATEHOUSE_MANAGEMENT_HTTPS_PORT: '99999' })), /^Invalid GATEHOUSE_MANAGEMENT_HTTPS_PORT '99999'/);
    assert.match(usageMessage(() => parseStartOptions([], { GATEHOUSE_WORKERS: '257' })), /^Invalid GATEHOUSE_WORKERS '257'/);
    assert.equal(parseStartOptions([], { GATEHOUSE_WORKERS: '0' }).workers, 0, '0 runs the gateway in the start process');
    assert.match(usageMessage(() => parseStartOptions([], { GATEHOUSE_METRICS: 'maybe' })), /^Invalid GATEHOUSE_METRICS 'maybe'/);
    assert.match(usageMessage(() => parseStartOptions([], { GATEHOUSE_STORE: 'mysql://x' })), /^Invalid GATEHOUSE_STORE 'mysql:\/\/x'/);
    assert.match(usageMessage(() => parseStartOptions([], { GATEHOUSE_LOG_FORMAT: 'xml' })), /^Invalid GATEHOUSE_LOG_FORMAT 'xml'/);
  });
});
