/**
 * `--managed-identity-endpoint` and its GATEHOUSE_MANAGED_IDENTITY_ENDPOINT twin: the instance
 * metadata service by default, the App Service / Container Apps endpoint when IDENTITY_ENDPOINT
 * and IDENTITY_HEADER are both set, a URL of one's own (instance metadata protocol), or `off`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStartOptions, UsageError } from '../../src/main/start-options.js';

describe('--managed-identity-endpoint', () => {
  it("defaults to Azure's instance metadata service", () => {
    assert.deepEqual(parseStartOptions([], {}).managedIdentity, { protocol: 'imds', url: 'http://169.254.169.254/metadata/identity/oauth2/token' });
    // One of the pair alone is not the App Service protocol.
    assert.equal(parseStartOptions([], { IDENTITY_ENDPOINT: 'http://127.0.0.1:41741/msi/token' }).managedIdentity.protocol, 'imds');
  });

  it('follows IDENTITY_ENDPOINT and IDENTITY_HEADER when both are set', () => {
    assert.deepEqual(parseStartOptions([], { IDENTITY_ENDPOINT: 'http://127.0.0.1:41741/msi/token', IDENTITY_HEADER: 'h' }).managedIdentity, {
      protocol: 'app-service',
      url: 'http://127.0.0.1:41741/msi/token',
      header: 'h',
    });
  });

  it('takes a URL or off from the flag or its twin, the flag winning over both', () => {
    const env = { IDENTITY_ENDPOINT: 'http://127.0.0.1:1/x', IDENTITY_HEADER: 'h' };
    assert.deepEqual(parseStartOptions(['--managed-identity-endpoint', 'http://127.0.0.1:9000/token'], env).managedIdentity, { protocol: 'imds', url: 'http://127.0.0.1:9000/token' });
    assert.deepEqual(parseStartOptions([], { ...env, GATEHOUSE_MANAGED_IDENTITY_ENDPOINT: 'off' }).managedIdentity, { protocol: 'off' });
    assert.deepEqual(parseStartOptions(['--managed-identity-endpoint', 'OFF'], {}).managedIdentity, { protocol: 'off' });
  });

  it('refuses what is not an http(s) URL without credentials', () => {
    for (const text of ['169.254.169.254', 'ftp://x/token', 'http://user:pw@x/token']) {
      assert.throws(() => parseStartOptions(['--managed-identity-endpoint', text], {}), (err: Error) => err instanceof UsageError && err.message.startsWith('Invalid --managed-identity-endpoint'), text);
    }
    assert.throws(() => parseStartOptions([], { IDENTITY_ENDPOINT: 'nope', IDENTITY_HEADER: 'h' }), /Invalid IDENTITY_ENDPOINT 'nope'/);
  });
});
