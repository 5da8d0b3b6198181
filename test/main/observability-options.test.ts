// `--access-log` and `--metrics` through the real `start` option parser, flags and env twins.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStartOptions, UsageError } from '../../src/main/start-options.js';

describe('observability options', () => {
  it('default to an access log on stdout and metrics on', () => {
    assert.deepEqual(parseStartOptions([], {}).observability, { accessLog: { kind: 'stdout' }, metrics: true });
  });

  it('accept stderr, off and a file, and metrics off, from flags or environment', () => {
    assert.deepEqual(parseStartOptions(['--access-log', 'stderr'], {}).observability.accessLog, { kind: 'stderr' });
    assert.equal(parseStartOptions(['--access-log', 'off', '--metrics', 'off'], {}).observability.accessLog, null);
    assert.equal(parseStartOptions(['--metrics', 'off'], {}).observability.metrics, false);
    assert.deepEqual(parseStartOptions([], { GATEHOUSE_ACCESS_LOG: '/var/log/gh.log', GATEHOUSE_METRICS: 'off' }).observability, {
      accessLog: { kind: 'file', path: '/var/log/gh.log' },
      metrics: false,
    });
    // The flag wins over its twin.
    assert.deepEqual(parseStartOptions(['--access-log', 'stdout'], { GATEHOUSE_ACCESS_LOG: 'off' }).observability.accessLog, { kind: 'stdout' });
  });

  it('refuse anything else with a usage error naming the flag', () => {
    assert.throws(() => parseStartOptions(['--metrics', 'yes'], {}), (err: Error) => err instanceof UsageError && /Invalid --metrics 'yes'/.test(err.message));
    assert.throws(() => parseStartOptions(['--access-log', ' '], {}), (err: Error) => err instanceof UsageError && /Invalid --access-log/.test(err.message));
  });
});
