import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SQLITE_FILE_NAME, SqliteEntityStore } from '../../src/store/sqlite-entity-store.js';
import { sqliteMigrations } from '../../src/store/migrations/sqlite-migrations.js';
import { entityStoreConformance } from './entity-store-conformance.js';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-sqlite-store-'));
let folders = 0;

entityStoreConformance('SQLite', {
  freshLocation: async () => join(root, `data-${++folders}`),
  open: (dataDir, clock) => SqliteEntityStore.open({ dataDir, clock }),
  cleanup: async () => undefined,
  sharedLocation: false,
});

describe('SqliteEntityStore files and migrations', () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  it('keeps one WAL-mode database file, readable only by its owner, in the data folder it creates', async () => {
    const dataDir = join(root, 'nested', 'data');
    const store = await SqliteEntityStore.open({ dataDir });
    try {
      assert.equal(store.file, join(dataDir, SQLITE_FILE_NAME));
      await store.transaction('t', (tx) => tx.put({ kind: 'api', id: 'apis/a', parent: '', body: {} }));
      assert.equal(statSync(store.file).mode & 0o777, 0o600);
      assert.equal(statSync(dataDir).mode & 0o077, 0, 'the data folder is private');
      assert.ok(existsSync(`${store.file}-wal`), 'WAL mode keeps a -wal file while open');
      const peek = new Database(store.file, { readonly: true });
      try {
        assert.equal(peek.pragma('journal_mode', { simple: true }), 'wal');
        assert.deepEqual(
          peek.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all(),
          sqliteMigrations.map((m) => ({ version: m.version, name: m.name })),
        );
        // The lower-cased key column and the id as given, side by side.
        assert.deepEqual(peek.prepare('SELECT key, id FROM entities').all(), [{ key: 'apis/a', id: 'apis/a' }]);
      } finally {
        peek.close();
      }
      assert.deepEqual(await store.schemaVersions(), sqliteMigrations.map((m) => m.version));
    } finally {
      await store.close();
    }
  });

  it('refuses a second instance over the same file in one process, and allows it after close', async () => {
    const dataDir = join(root, 'single');
    const store = await SqliteEntityStore.open({ dataDir });
    assert.throws(() => new SqliteEntityStore({ dataDir: join(dataDir, '..', 'single') }), /already open in this process/);
    await store.close();
    await (await SqliteEntityStore.open({ dataDir })).close();
  });

  it('refuses a file from a newer Gatehouse, and opens it again once the versions match', async () => {
    const dataDir = join(root, 'versions');
    await (await SqliteEntityStore.open({ dataDir })).close();
    const file = join(dataDir, SQLITE_FILE_NAME);
    const raw = new Database(file);
    raw.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', '')").run();
    raw.close();
    await assert.rejects(SqliteEntityStore.open({ dataDir }), /schema version 999, newer than this Gatehouse knows/);

    const raw2 = new Database(file);
    raw2.prepare('DELETE FROM schema_migrations WHERE version = 999').run();
    raw2.close();
    const store = await SqliteEntityStore.open({ dataDir });
    assert.deepEqual(await store.schemaVersions(), sqliteMigrations.map((m) => m.version));
    await store.close();
  });

  it('upgrades a file of schema version 1, keeping its entities, and then keeps heartbeats', async () => {
    const dataDir = join(root, 'from-version-1');
    mkdirSync(dataDir, { recursive: true });
    const raw = new Database(join(dataDir, SQLITE_FILE_NAME));
    raw.exec(sqliteMigrations[0]!.sql);
    raw.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    raw.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, ?, '')").run(sqliteMigrations[0]!.name);
    raw.prepare("INSERT INTO entities (key, id, kind, parent_key, parent, body, etag, updated_at) VALUES ('gateways/gw1', 'gateways/Gw1', 'gateway', '', '', '{}', 'e1', '')").run();
    raw.close();
    const store = await SqliteEntityStore.open({ dataDir });
    try {
      assert.deepEqual(await store.schemaVersions(), sqliteMigrations.map((m) => m.version));
      assert.equal((await store.get('gateways/gw1'))!.etag, 'e1');
      assert.equal(await store.recordHeartbeat('gateways/gw1', { instanceId: 'pod', hostname: 'node', version: '1' }), true);
      assert.deepEqual((await store.listHeartbeats('gateways/gw1')).map((b) => b.instanceId), ['pod']);
    } finally {
      await store.close();
    }
  });

  it('refuses a heartbeat recorded inside a transaction, which would wait for itself', async () => {
    const dataDir = join(root, 'heartbeat-inside');
    const store = await SqliteEntityStore.open({ dataDir });
    try {
      await store.transaction('t', (tx) => tx.put({ kind: 'gateway', id: 'gateways/gw1', parent: '', body: {} }));
      await assert.rejects(
        store.transaction('t', () => store.recordHeartbeat('gateways/gw1', { instanceId: 'pod', hostname: 'node', version: '1' })),
        /recordHeartbeat was called inside a transaction/,
      );
      assert.equal(await store.recordHeartbeat('gateways/gw1', { instanceId: 'pod', hostname: 'node', version: '1' }), true);
    } finally {
      await store.close();
    }
  });

  // The conformance case 'serializes conflicting writes from two store instances' needs a
  // second instance over one file; SQLite allows one per process, so here the instances are
  // processes: two start a conditional write with the same ETag at once.
  it('lets one of two processes writing with the same If-Match win; the other gets PreconditionFailed', async () => {
    const dataDir = join(root, 'if-match-processes');
    const store = await SqliteEntityStore.open({ dataDir });
    try {
      const base = await store.transaction('seed', (tx) => tx.put({ kind: 'api', id: 'apis/shared', parent: '', body: { displayName: 'base' } }));
      const script = fileURLToPath(new URL('./sqlite-if-match-process.ts', import.meta.url));
      const writers = ['process-a', 'process-b'].map((actor) => {
        const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir, base.etag, actor], { stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const ready = new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.startsWith('ready\n')) resolve();
        }));
        const outcome = new Promise<string>((resolve, reject) => {
          child.on('error', reject);
          child.on('close', (code) => (code === 0 ? resolve(stdout.slice('ready\n'.length).trim()) : reject(new Error(`${actor} exited with ${code}: ${stderr}`))));
        });
        return { actor, child, ready, outcome };
      });
      // Both have the file open before either writes; then both go at once.
      await Promise.all(writers.map((w) => w.ready));
      for (const w of writers) w.child.stdin.end('go\n');
      const outcomes = await Promise.all(writers.map((w) => w.outcome));
      assert.deepEqual([...outcomes].sort(), ['PreconditionFailed', 'written']);
      const winner = writers[outcomes.indexOf('written')]!.actor;
      assert.deepEqual((await store.get('apis/shared'))!.body, { displayName: `from ${winner}` });
      assert.equal(await store.version(), 2, 'the seed and the one write that won');
    } finally {
      await store.close();
    }
  });

  it('serializes writing transactions of two processes sharing the file (no lost update)', async () => {
    const dataDir = join(root, 'two-processes');
    const script = fileURLToPath(new URL('./sqlite-writer-process.ts', import.meta.url));
    const perProcess = 15;
    const run = (actor: string) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir, String(perProcess), actor], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${actor} exited with ${code}: ${stderr}`))));
      });
    // Create the file first, so the processes do not race to run the first migration.
    await (await SqliteEntityStore.open({ dataDir })).close();
    await Promise.all([run('process-a'), run('process-b')]);
    const store = await SqliteEntityStore.open({ dataDir });
    try {
      assert.deepEqual((await store.get('counters/c'))!.body, { n: 2 * perProcess });
      assert.equal(await store.version(), 2 * perProcess);
      const actors = new Set((await store.audit()).map((r) => r.actor));
      assert.deepEqual([...actors].sort(), ['process-a', 'process-b']);
    } finally {
      await store.close();
    }
  });
});
