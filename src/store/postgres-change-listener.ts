/**
 * The PostgreSQL change listener (issue 17 §2): one dedicated connection, not a pool client,
 * that LISTENs on the schema's change channel and hands each committed version to its watchers
 * the moment the writing transaction commits, in whichever instance it ran. When the connection
 * drops (or cannot be made) it tries again after a growing delay and tells the watchers: what
 * was committed meanwhile sent notifications nobody heard, so they read the version once it
 * listens again.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { VersionWatcher } from '../core/entity-store.js';

export interface ChangeListenerOptions {
  connectionString: string;
  /** The channel to LISTEN on (changeChannel). */
  channel: string;
  /** Shown as `application_name` in `pg_stat_activity`, so an operator can find this connection. */
  applicationName: string;
  /** The delay before the first retry (default 250 ms); it doubles with each failure in a row. */
  firstRetryMs?: number;
  /** The longest delay between retries (default 10 s). */
  maxRetryMs?: number;
}

/** A payload is a committed version: decimal digits, nothing else (anyone may NOTIFY a channel). */
const versionPayload = /^[0-9]{1,15}$/;

/**
 * The notification channel of the store in `schema`: `gatehouse_config_` and the first 16 hex
 * digits of the MD5 of the schema name. A channel name has at most 63 bytes, like the schema
 * name, so the name itself cannot be appended. In SQL: `'gatehouse_config_' || left(md5('gatehouse'), 16)`.
 */
export function changeChannel(schema: string): string {
  return `gatehouse_config_${createHash('md5').update(schema, 'utf8').digest('hex').slice(0, 16)}`;
}

/** Listens on one channel for as long as it has watchers; reconnects by itself. */
export class PostgresChangeListener {
  private readonly watchers = new Set<VersionWatcher>();
  private readonly firstRetryMs: number;
  private readonly maxRetryMs: number;
  private client: pg.Client | null = null;
  private listening = false;
  private failuresInARow = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly options: ChangeListenerOptions) {
    this.firstRetryMs = options.firstRetryMs ?? 250;
    this.maxRetryMs = options.maxRetryMs ?? 10_000;
  }

  /** Adds a watcher; it hears `listening` at once when the connection already listens. */
  add(watcher: VersionWatcher): void {
    this.watchers.add(watcher);
    if (this.listening) tell(watcher, (w) => w.listening());
  }

  /** Removes a watcher; true when none is left. */
  remove(watcher: VersionWatcher): boolean {
    this.watchers.delete(watcher);
    return this.watchers.size === 0;
  }

  /** Opens the connection (in the background: failures are told to the watchers and retried). */
  start(): void {
    void this.connect();
  }

  /** Closes the connection and stops retrying. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.listening = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      application_name: this.options.applicationName,
      // A peer that vanished without closing the connection is noticed by TCP keepalives.
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
    });
    this.client = client;
    client.on('error', (err: Error) => this.dropped(client, err.message));
    client.on('end', () => this.dropped(client, 'the server closed the connection'));
    client.on('notification', (message) => {
      if (message.channel !== this.options.channel || !versionPayload.test(message.payload ?? '')) return;
      const version = Number(message.payload);
      for (const watcher of this.watchers) tell(watcher, (w) => w.changed(version));
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.options.channel}"`);
    } catch (err) {
      this.dropped(client, err instanceof Error ? err.message : String(err));
      return;
    }
    if (this.client !== client) return;
    this.listening = true;
    this.failuresInARow = 0;
    for (const watcher of this.watchers) tell(watcher, (w) => w.listening());
  }

  /** The connection `client` failed: closes it and schedules the next try (once per connection). */
  private dropped(client: pg.Client, reason: string): void {
    if (this.client !== client || this.stopped) return;
    this.client = null;
    this.listening = false;
    void client.end().catch(() => undefined);
    const retryInMs = Math.min(this.maxRetryMs, this.firstRetryMs * 2 ** this.failuresInARow);
    this.failuresInARow++;
    for (const watcher of this.watchers) tell(watcher, (w) => w.lost(reason, retryInMs));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, retryInMs);
    // Retrying alone must not keep the process alive.
    this.retryTimer.unref();
  }
}

/** Calls a watcher; one that throws must not stop the others or the listener. */
function tell(watcher: VersionWatcher, call: (w: VersionWatcher) => void): void {
  try {
    call(watcher);
  } catch {
    // The watcher's own failure is its business; the listener goes on.
  }
}
