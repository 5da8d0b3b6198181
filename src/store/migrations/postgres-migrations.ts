/**
 * The PostgreSQL schema, as numbered steps, the same tables as SQLite's. `s` is the quoted
 * schema name. A step, once released, never changes: a new need is a new step.
 */

/** One schema step; `version` is recorded in `schema_migrations` once it has run. */
export interface PostgresMigration {
  version: number;
  name: string;
  sql: (s: string) => string;
}

export const postgresMigrations: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'entities, configuration version, audit log',
    sql: (s) => `
      CREATE TABLE ${s}.entities (
        -- COLLATE "C": byte order, as SQLite's, so lists sort alike and descendant ranges hold
        key        TEXT COLLATE "C" PRIMARY KEY,
        id         TEXT NOT NULL,
        kind       TEXT NOT NULL,
        parent_key TEXT COLLATE "C" NOT NULL,
        parent     TEXT NOT NULL,
        body       TEXT NOT NULL,
        etag       TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX entities_by_kind_parent ON ${s}.entities (kind, parent_key, key);

      CREATE TABLE ${s}.config_version (
        id      INTEGER PRIMARY KEY CHECK (id = 1),
        version BIGINT NOT NULL
      );
      INSERT INTO ${s}.config_version (id, version) VALUES (1, 0);

      CREATE TABLE ${s}.audit_log (
        seq         BIGSERIAL PRIMARY KEY,
        at          TEXT NOT NULL,
        actor       TEXT NOT NULL,
        action      TEXT NOT NULL CHECK (action IN ('put', 'delete')),
        kind        TEXT NOT NULL,
        id          TEXT NOT NULL,
        etag_before TEXT,
        etag_after  TEXT
      );
      CREATE INDEX audit_log_by_time ON ${s}.audit_log (at);
    `,
  },
  {
    version: 2,
    name: 'gateway heartbeats',
    // Not entities: a heartbeat bumps no version, writes no audit line and is never exported.
    // The foreign key deletes them with their gateway, and refuses one for a gateway deleted meanwhile.
    sql: (s) => `
      CREATE TABLE ${s}.gateway_heartbeats (
        gateway_key     TEXT COLLATE "C" NOT NULL REFERENCES ${s}.entities (key) ON DELETE CASCADE,
        instance_id     TEXT COLLATE "C" NOT NULL,
        hostname        TEXT NOT NULL,
        version         TEXT NOT NULL,
        first_heartbeat TEXT NOT NULL,
        last_heartbeat  TEXT COLLATE "C" NOT NULL,
        seq             BIGINT NOT NULL, -- order of recording within the gateway, the latest highest
        PRIMARY KEY (gateway_key, instance_id)
      );
      CREATE INDEX gateway_heartbeats_by_seq ON ${s}.gateway_heartbeats (gateway_key, seq);
      CREATE INDEX gateway_heartbeats_by_time ON ${s}.gateway_heartbeats (last_heartbeat);
    `,
  },
];
