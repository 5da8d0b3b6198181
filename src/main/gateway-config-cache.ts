/**
 * The self-hosted gateway's last good configuration on disk (docs/self-hosted-gateway.md, "Fail
 * static"), so it can start and serve while the management API is unreachable. The configuration
 * holds secrets (subscription keys, named values, certificates), so the file is encrypted with
 * AES-256-GCM under a key derived from the gateway token by HKDF-SHA-256 (a random salt per
 * write), with the gateway id as associated data: without the token the file is noise, and a
 * change to any byte is detected. It is written whole to a temporary file of mode 0600 and
 * renamed over the old one, so a crash mid-write leaves the previous cache; a cache file others
 * may read is refused (core/private-file.ts), as every secret file is.
 *
 * Layout: magic `GHGWC1\n` | salt (16) | nonce (12) | tag (16) | ciphertext of
 * `{ etag, version, savedAt, config }` (config in model/service-config-codec.ts's form).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, readFileSync, openSync, writeSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { checkPrivateFile } from '../core/private-file.js';
import type { ServiceConfig } from '../model/resources.js';
import { decodeServiceConfig, encodeServiceConfig } from '../model/service-config-codec.js';

const magic = Buffer.from('GHGWC1\n', 'utf8');
const saltBytes = 16;
const nonceBytes = 12;
const tagBytes = 16;
const info = 'gatehouse self-hosted gateway configuration cache';

/** The cache file's name in the data folder. */
export const cacheFileName = 'gateway-config.cache';

/** A configuration read back from the cache. */
export interface CachedConfig {
  config: ServiceConfig;
  /** The management API's ETag of it. */
  etag: string;
  /** The store version it was read at. */
  version: number;
  /** When it was written (ISO 8601). */
  savedAt: string;
}

/** A cache file that exists but cannot be used; the message says why (never the token). */
export class ConfigCacheError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigCacheError';
  }
}

/** The encrypted cache of one gateway in one data folder. */
export class GatewayConfigCache {
  readonly path: string;

  constructor(
    private readonly dataDir: string,
    private readonly gatewayId: string,
    private readonly token: string,
  ) {
    this.path = join(dataDir, cacheFileName);
  }

  /** Writes `entry` atomically (temporary file of mode 0600, then rename). */
  save(entry: Omit<CachedConfig, 'config'> & { config: ServiceConfig }): void {
    const plain = Buffer.from(JSON.stringify({ etag: entry.etag, version: entry.version, savedAt: entry.savedAt, config: encodeServiceConfig(entry.config) }), 'utf8');
    const salt = randomBytes(saltBytes);
    const nonce = randomBytes(nonceBytes);
    const cipher = createCipheriv('aes-256-gcm', this.key(salt), nonce);
    cipher.setAAD(this.associatedData());
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    const bytes = Buffer.concat([magic, salt, nonce, cipher.getAuthTag(), sealed]);
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } catch (err) {
      closeSync(fd);
      rmSync(temporary, { force: true });
      throw err;
    }
    closeSync(fd);
    renameSync(temporary, this.path);
  }

  /** The cached configuration, null when there is no cache file; throws ConfigCacheError for one that cannot be used. */
  load(): CachedConfig | null {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new ConfigCacheError(`cannot read ${this.path}: ${(err as Error).message}`);
    }
    try {
      checkPrivateFile(this.path, 'gateway configuration cache');
    } catch (err) {
      throw new ConfigCacheError((err as Error).message);
    }
    const head = magic.length + saltBytes + nonceBytes + tagBytes;
    if (bytes.length < head || !bytes.subarray(0, magic.length).equals(magic)) throw new ConfigCacheError(`${this.path} is not a Gatehouse gateway configuration cache`);
    const salt = bytes.subarray(magic.length, magic.length + saltBytes);
    const nonce = bytes.subarray(magic.length + saltBytes, magic.length + saltBytes + nonceBytes);
    const tag = bytes.subarray(magic.length + saltBytes + nonceBytes, head);
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key(salt), nonce);
      decipher.setAAD(this.associatedData());
      decipher.setAuthTag(tag);
      plain = Buffer.concat([decipher.update(bytes.subarray(head)), decipher.final()]);
    } catch {
      throw new ConfigCacheError(`${this.path} cannot be opened with this gateway token (written with another token or for another gateway, or damaged)`);
    }
    try {
      const entry = JSON.parse(plain.toString('utf8')) as Record<string, unknown>;
      if (typeof entry.etag !== 'string' || typeof entry.version !== 'number' || typeof entry.savedAt !== 'string' || typeof entry.config !== 'string') throw new Error('fields missing');
      return { etag: entry.etag, version: entry.version, savedAt: entry.savedAt, config: decodeServiceConfig(entry.config) };
    } catch (err) {
      throw new ConfigCacheError(`${this.path} holds no usable configuration: ${(err as Error).message}`);
    }
  }

  private key(salt: Buffer): Buffer {
    return Buffer.from(hkdfSync('sha256', Buffer.from(this.token, 'utf8'), salt, info, 32));
  }

  private associatedData(): Buffer {
    return Buffer.concat([magic, Buffer.from(this.gatewayId, 'utf8')]);
  }
}
