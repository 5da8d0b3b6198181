/** `--entra-authority` and GATEHOUSE_ENTRA_AUTHORITY: Microsoft's global authority by default, an http(s) URL otherwise. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStartOptions, UsageError } from '../../src/main/start-options.js';

describe('--entra-authority', () => {
  it('defaults to https://login.microsoftonline.com and takes a URL from the flag or its twin', () => {
    assert.equal(parseStartOptions([], {}).entraAuthority, 'https://login.microsoftonline.com');
    assert.equal(parseStartOptions(['--entra-authority', 'https://login.microsoftonline.us/'], {}).entraAuthority, 'https://login.microsoftonline.us');
    assert.equal(parseStartOptions([], { GATEHOUSE_ENTRA_AUTHORITY: 'http://127.0.0.1:9911' }).entraAuthority, 'http://127.0.0.1:9911');
  });

  it('refuses what is not a plain http(s) URL', () => {
    for (const text of ['login.microsoftonline.com', 'ftp://x', 'https://u:p@x', 'https://x/?a=1']) {
      assert.throws(() => parseStartOptions(['--entra-authority', text], {}), (err: Error) => err instanceof UsageError && err.message.startsWith('Invalid --entra-authority'), text);
    }
  });
});
