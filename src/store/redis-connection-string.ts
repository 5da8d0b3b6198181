/**
 * Reads a Redis connection string into ioredis options. Two forms: a URL
 * (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS), as `--redis` takes, and the
 * StackExchange.Redis form Azure's `caches` resource holds
 * (`host:port,password=…,ssl=True,abortConnect=False`, docs/caching.md).
 */
import type { RedisOptions } from 'ioredis';

/** A connection string that is neither form, or names no host. */
export class RedisConnectionStringError extends Error {}

/** The ioredis options of a connection string (no secrets in the error messages). */
export function redisOptionsFrom(connectionString: string): RedisOptions {
  const text = connectionString.trim();
  if (text === '') throw new RedisConnectionStringError('The Redis connection string is empty.');
  return /^rediss?:\/\//i.test(text) ? fromUrl(text) : fromStackExchange(text);
}

function fromUrl(text: string): RedisOptions {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RedisConnectionStringError('The Redis URL is not a valid URL.');
  }
  if (url.hostname === '') throw new RedisConnectionStringError('The Redis URL names no host.');
  const options: RedisOptions = { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port === '' ? 6379 : Number(url.port) };
  if (url.username !== '') options.username = decodeURIComponent(url.username);
  if (url.password !== '') options.password = decodeURIComponent(url.password);
  const db = url.pathname.replace(/^\//, '');
  if (db !== '') {
    if (!/^\d+$/.test(db)) throw new RedisConnectionStringError('The Redis URL path must be a database number.');
    options.db = Number(db);
  }
  if (url.protocol.toLowerCase() === 'rediss:') options.tls = { servername: options.host! };
  return options;
}

function fromStackExchange(text: string): RedisOptions {
  const options: RedisOptions = {};
  let endpoint: string | undefined;
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq === -1) {
      // The first endpoint is used; StackExchange would try the others too.
      endpoint ??= item;
      continue;
    }
    const key = item.slice(0, eq).trim().toLowerCase();
    const value = item.slice(eq + 1).trim();
    if (key === 'password') options.password = value;
    else if (key === 'user') options.username = value;
    else if (key === 'ssl') options.tls = value.toLowerCase() === 'true' ? {} : undefined;
    else if (key === 'defaultdatabase') {
      if (!/^\d+$/.test(value)) throw new RedisConnectionStringError("The Redis connection string's defaultDatabase must be a number.");
      options.db = Number(value);
    }
    // Other StackExchange options (abortConnect, connectTimeout, …) tune a client Gatehouse does not use.
  }
  if (endpoint === undefined) throw new RedisConnectionStringError('The Redis connection string names no host:port.');
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(endpoint);
  if (!m) throw new RedisConnectionStringError('The Redis connection string names no valid host:port.');
  options.host = m[1]!.replace(/^\[|\]$/g, '');
  // Azure Cache for Redis listens on 6380 for TLS and 6379 without.
  options.port = m[2] === undefined ? (options.tls ? 6380 : 6379) : Number(m[2]);
  if (options.tls) options.tls = { servername: options.host };
  if (options.tls === undefined) delete options.tls;
  if (options.port! < 1 || options.port! > 65535) throw new RedisConnectionStringError('The Redis port must be between 1 and 65535.');
  return options;
}
