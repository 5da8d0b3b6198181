/**
 * The SQLite schema, as numbered steps. A step, once released, never changes: a new need is a
 * new step, so a data folder from any earlier version upgrades in order at start.
 */

/** One schema step; `version` is recorded in `schema_migrations` once it has run. */
export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
}

export const sqliteMigrations: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'entities, configuration version, audit log',
    sql: `
      CREATE TABLE entities (
        key        TEXT PRIMARY KEY,   -- the id lower-cased: ARM names are case-insensitive
        id         TEXT NOT NULL,      -- the id as first given
        kind       TEXT NOT NULL,
        parent_key TEXT NOT NULL,      -- the parent id lower-cased ('' at the top)
        parent     TEXT NOT NULL,
        body       TEXT NOT NULL,      -- JSON, kept as written so property order survives
        etag       TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX entities_by_kind_parent ON entities (kind, parent_key, key);

      CREATE TABLE config_version (
        id      INTEGER PRIMARY KEY CHECK (id = 1),
        version INTEGER NOT NULL
      );
      INSERT INTO config_version (id, version) VALUES (1, 0);

      CREATE TABLE audit_log (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        at          TEXT NOT NULL,
        actor       TEXT NOT NULL,
        action      TEXT NOT NULL CHECK (action IN ('put', 'delete')),
        kind        TEXT NOT NULL,
        id          TEXT NOT NULL,
        etag_before TEXT,
        etag_after  TEXT
      );
      CREATE INDEX audit_log_by_time ON audit_log (at);
    `,
  },
  {
    version: 2,
    name: 'gateway heartbeats',
    // Not entities: a heartbeat bumps no version, writes no audit line and is never exported.
    // The foreign key (enforced: the store turns foreign_keys on) deletes them with their gateway.
    sql: `
      CREATE TABLE gateway_heartbeats (
        gateway_key     TEXT NOT NULL REFERENCES entities (key) ON DELETE CASCADE,
        instance_id     TEXT NOT NULL,
        hostname        TEXT NOT NULL,
        version         TEXT NOT NULL,
        first_heartbeat TEXT NOT NULL,
        last_heartbeat  TEXT NOT NULL,
        seq             INTEGER NOT NULL, -- order of recording within the gateway, the latest highest
        PRIMARY KEY (gateway_key, instance_id)
      ) WITHOUT ROWID;
      CREATE INDEX gateway_heartbeats_by_seq ON gateway_heartbeats (gateway_key, seq);
      CREATE INDEX gateway_heartbeats_by_time ON gateway_heartbeats (last_heartbeat);
    `,
  },
];
