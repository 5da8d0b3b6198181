/**
 * `--max-buffered-body-size` and its `GATEHOUSE_MAX_BUFFERED_BODY_SIZE` twin: Azure's 2 MiB by
 * default, bytes or KiB/MiB/GiB, from 1 byte to 1 GiB, and a start refused with a message naming
 * the flag otherwise.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStartOptions, UsageError } from '../../src/main/start-options.js';

describe('--max-buffered-body-size', () => {
  it("is Azure's 2 MiB by default", () => {
    assert.equal(parseStartOptions([], {}).maxBufferedBodyBytes, 2 * 1024 * 1024);
  });

  it('takes bytes or a binary unit, from the flag or its environment twin (the flag wins)', () => {
    assert.equal(parseStartOptions(['--max-buffered-body-size', '65536'], {}).maxBufferedBodyBytes, 65536);
    assert.equal(parseStartOptions(['--max-buffered-body-size', '64KiB'], {}).maxBufferedBodyBytes, 65536);
    assert.equal(parseStartOptions([], { GATEHOUSE_MAX_BUFFERED_BODY_SIZE: '8MiB' }).maxBufferedBodyBytes, 8 * 1024 * 1024);
    assert.equal(parseStartOptions(['--max-buffered-body-size', '1GiB'], { GATEHOUSE_MAX_BUFFERED_BODY_SIZE: '8MiB' }).maxBufferedBodyBytes, 1024 ** 3);
  });

  it('refuses sizes out of range or not understood', () => {
    for (const text of ['0', '2GiB', '1.5MiB', '64kb', 'lots', '99999999999']) {
      assert.throws(
        () => parseStartOptions(['--max-buffered-body-size', text], {}),
        (err: Error) => err instanceof UsageError && err.message.startsWith(`Invalid --max-buffered-body-size '${text}'`),
        text,
      );
    }
  });
});
