import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresEntityStore } from '../../src/store/postgres-entity-store.js';
import { postgresMigrations } from '../../src/store/migrations/postgres-migrations.js';
import { entityStoreConformance } from './entity-store-conformance.js';

// The machine's PostgreSQL (trust auth); GATEHOUSE_TEST_POSTGRES_URL points elsewhere.
const url = process.env.GATEHOUSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// Every run works in schemas of its own, named after it, so parallel runs never meet.
const runTag = `gh_test_${process.pid}_${randomBytes(4).toString('hex')}`;
const schemas = new Set<string>();

async function unreachableReason(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL at ${url} is unreachable (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function dropSchemas(): Promise<void> {
  if (schemas.size === 0) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

const reason = await unreachableReason();
let skip: string | undefined;
if (reason !== undefined) {
  if (process.env.CI === 'true') {
    // In CI the database is part of the machine: its absence is a failure, not a skip.
    it('reaches PostgreSQL (required in CI)', () => assert.fail(reason));
    skip = reason;
  } else {
    console.log(`# skipping the PostgreSQL entity store tests: ${reason}`);
    skip = reason;
  }
}

let count = 0;
entityStoreConformance('PostgreSQL', {
  freshLocation: async () => {
    const schema = `${runTag}_${++count}`;
    schemas.add(schema);
    return schema;
  },
  open: (schema, clock) => PostgresEntityStore.open({ connectionString: url, schema, clock }),
  cleanup: dropSchemas,
  sharedLocation: true,
  skip,
});

describe('PostgresEntityStore schema and migrations', { skip }, () => {
  after(dropSchemas);

  it('creates its schema and tables, records migrations, and keys ids lower-cased', async () => {
    const schema = `${runTag}_layout`;
    schemas.add(schema);
    const store = await PostgresEntityStore.open({ connectionString: url, schema });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await store.transaction('t', (tx) => tx.put({ kind: 'api', id: 'apis/Echo', parent: '', body: {} }));
      const tables = await client.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
        [schema],
      );
      assert.deepEqual(
        tables.rows.map((r) => r.table_name),
        ['audit_log', 'config_version', 'entities', 'gateway_heartbeats', 'schema_migrations'],
      );
      const migrations = await client.query(`SELECT version, name FROM "${schema}".schema_migrations ORDER BY version`);
      assert.deepEqual(migrations.rows, postgresMigrations.map((m) => ({ version: m.version, name: m.name })));
      const keys = await client.query(`SELECT key, id FROM "${schema}".entities`);
      assert.deepEqual(keys.rows, [{ key: 'apis/echo', id: 'apis/Echo' }]);
      assert.deepEqual(await store.schemaVersions(), postgresMigrations.map((m) => m.version));
    } finally {
      await client.end();
      await store.close();
    }
  });

  it('migrates once when several instances start together, and refuses a schema from a newer Gatehouse', async () => {
    const schema = `${runTag}_together`;
    schemas.add(schema);
    const stores = await Promise.all([1, 2, 3].map(() => PostgresEntityStore.open({ connectionString: url, schema })));
    try {
      for (const store of stores) assert.deepEqual(await store.schemaVersions(), postgresMigrations.map((m) => m.version));
    } finally {
      for (const store of stores) await store.close();
    }
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`INSERT INTO "${schema}".schema_migrations (version, name, applied_at) VALUES (999, 'future', '')`);
    } finally {
      await client.end();
    }
    await assert.rejects(PostgresEntityStore.open({ connectionString: url, schema }), /version 999, newer than this Gatehouse knows/);
  });

  it('upgrades a schema of version 1, keeping its entities, and then keeps heartbeats', async () => {
    const schema = `${runTag}_from_v1`;
    schemas.add(schema);
    const s = `"${schema}"`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${s}`);
      await client.query(postgresMigrations[0]!.sql(s));
      await client.query(`CREATE TABLE ${s}.schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
      await client.query(`INSERT INTO ${s}.schema_migrations (version, name, applied_at) VALUES (1, $1, '')`, [postgresMigrations[0]!.name]);
      await client.query(`INSERT INTO ${s}.entities (key, id, kind, parent_key, parent, body, etag, updated_at) VALUES ('gateways/gw1', 'gateways/Gw1', 'gateway', '', '', '{}', 'e1', '')`);
    } finally {
      await client.end();
    }
    const store = await PostgresEntityStore.open({ connectionString: url, schema });
    try {
      assert.deepEqual(await store.schemaVersions(), postgresMigrations.map((m) => m.version));
      assert.equal((await store.get('gateways/gw1'))!.etag, 'e1');
      assert.equal(await store.recordHeartbeat('gateways/gw1', { instanceId: 'pod', hostname: 'node', version: '1' }), true);
      assert.deepEqual((await store.listHeartbeats('gateways/gw1')).map((b) => b.instanceId), ['pod']);
    } finally {
      await store.close();
    }
  });

  it('refuses a schema name that is not a plain identifier', () => {
    assert.throws(() => new PostgresEntityStore({ connectionString: url, schema: 'x"; DROP TABLE y; --' }), /invalid PostgreSQL schema name/);
  });
});
