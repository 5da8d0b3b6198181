/**
 * `--trusted-proxies` and its `GATEHOUSE_TRUSTED_PROXIES` twin: a comma-separated CIDR list,
 * empty by default, and a start refused with a message naming the flag for a bad entry.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStartOptions, UsageError } from '../../src/main/start-options.js';

describe('--trusted-proxies', () => {
  it('is empty by default: X-Forwarded-For is ignored', () => {
    assert.deepEqual(parseStartOptions([], {}).trustedProxies, []);
  });

  it('takes a comma-separated list of prefixes and addresses, from the flag or its environment twin', () => {
    assert.deepEqual(parseStartOptions(['--trusted-proxies', '10.0.0.0/8, 192.0.2.7,fd00::/8'], {}).trustedProxies, ['10.0.0.0/8', '192.0.2.7', 'fd00::/8']);
    assert.deepEqual(parseStartOptions([], { GATEHOUSE_TRUSTED_PROXIES: '172.16.0.0/12' }).trustedProxies, ['172.16.0.0/12']);
    assert.deepEqual(parseStartOptions(['--trusted-proxies', '10.1.0.0/16'], { GATEHOUSE_TRUSTED_PROXIES: '172.16.0.0/12' }).trustedProxies, ['10.1.0.0/16']);
  });

  it('refuses an invalid entry with a message naming the flag and the entry', () => {
    for (const [text, detail] of [['10.0.0.0/33', "'10.0.0.0/33' has an invalid prefix length"], ['10.0.0.0/8,proxy.local', "'proxy.local' is not an IP address"]] as const) {
      assert.throws(
        () => parseStartOptions(['--trusted-proxies', text], {}),
        (err: Error) => err instanceof UsageError && err.message.startsWith('Invalid --trusted-proxies: ') && err.message.includes(detail),
      );
    }
  });
});
