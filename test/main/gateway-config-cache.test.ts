/**
 * gateway-config-cache.ts on real files: what is saved is what loads, with the same token only;
 * the file is private (0600), written by rename (no temporary file left), unreadable without the
 * token, and a changed byte, another token or gateway, or a too-open file is refused by name.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigCacheError, GatewayConfigCache } from '../../src/main/gateway-config-cache.js';
import { emptyServiceConfig } from '../../src/model/resources.js';
import { tempFolders } from '../helpers/temp-folders.js';

const folder = tempFolders('gatehouse-cache-');
const token = 'gw1&203001020000&' + Buffer.alloc(64, 7).toString('base64');

function entry() {
  const config = emptyServiceConfig('svc');
  config.subscriptions.push({ name: 's', displayName: 's', scope: '/apis', primaryKey: 'very-secret-subscription-key', secondaryKey: 'k2', state: 'active' });
  return { config, etag: 'etag-1', version: 7, savedAt: '2030-01-01T00:00:00.000Z' };
}

describe('the self-hosted gateway configuration cache', () => {
  it('loads what it saved, with the same token', () => {
    const dir = join(folder(), 'data');
    const cache = new GatewayConfigCache(dir, 'gw1', token);
    assert.equal(cache.load(), null, 'no file: no cache');
    cache.save(entry());
    assert.deepEqual(cache.load(), entry());
    assert.deepEqual(new GatewayConfigCache(dir, 'gw1', token).load(), entry(), 'another process with the same token');
  });

  it('writes a private file by rename, with nothing readable in it', () => {
    const dir = folder();
    const cache = new GatewayConfigCache(dir, 'gw1', token);
    cache.save(entry());
    cache.save({ ...entry(), etag: 'etag-2' });
    assert.equal(statSync(cache.path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ['gateway-config.cache'], 'no temporary file left');
    const bytes = readFileSync(cache.path);
    for (const clear of ['very-secret-subscription-key', 'svc', 'etag-2']) assert.ok(!bytes.includes(Buffer.from(clear)), clear);
    assert.equal(cache.load()!.etag, 'etag-2');
  });

  it('refuses another token, another gateway, a changed byte and a file that is not a cache', () => {
    const dir = folder();
    new GatewayConfigCache(dir, 'gw1', token).save(entry());
    const otherToken = token.replace(/&[^&]+$/, '&' + Buffer.alloc(64, 8).toString('base64'));
    const refused = (cache: GatewayConfigCache, message: RegExp) => assert.throws(() => cache.load(), (err: Error) => err instanceof ConfigCacheError && message.test(err.message) && !err.message.includes(token));
    refused(new GatewayConfigCache(dir, 'gw1', otherToken), /cannot be opened with this gateway token/);
    refused(new GatewayConfigCache(dir, 'gw2', token), /cannot be opened with this gateway token/);
    const cache = new GatewayConfigCache(dir, 'gw1', token);
    const bytes = readFileSync(cache.path);
    bytes[bytes.length - 3]! ^= 0x01;
    writeFileSync(cache.path, bytes, { mode: 0o600 });
    refused(cache, /cannot be opened with this gateway token/);
    writeFileSync(cache.path, 'hello', { mode: 0o600 });
    refused(cache, /is not a Gatehouse gateway configuration cache/);
  });

  it('refuses a cache file others may read', { skip: process.platform === 'win32' ? 'modes are not checked on Windows' : false }, () => {
    const cache = new GatewayConfigCache(folder(), 'gw1', token);
    cache.save(entry());
    chmodSync(cache.path, 0o644);
    assert.throws(() => cache.load(), (err: Error) => err instanceof ConfigCacheError && /chmod 600/.test(err.message));
  });
});
