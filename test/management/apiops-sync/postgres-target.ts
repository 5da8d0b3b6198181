/**
 * The test PostgreSQL for the import/export tests: whether it is reachable (a test skips with
 * the reason elsewhere, fails in CI) and a fresh store in a schema of its own, dropped after.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresEntityStore } from '../../../src/store/postgres-entity-store.js';

export const pgUrl = process.env.GATEHOUSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Undefined when PostgreSQL answers; otherwise why the test skips (throws under CI=true). */
export async function postgresSkip(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    return undefined;
  } catch (err) {
    const reason = `PostgreSQL at ${pgUrl} is unreachable (${(err as Error).message})`;
    // In CI the database is part of the machine: its absence fails the run.
    if (process.env.CI === 'true') throw new Error(reason);
    return reason;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh name for a test schema. */
export function testSchema(): string {
  return `gh_ie_${process.pid}_${randomBytes(3).toString('hex')}`;
}

/** Runs `work` on a new store in its own schema, then closes it and drops the schema. */
export async function withPostgresStore<T>(work: (store: PostgresEntityStore) => Promise<T>): Promise<T> {
  const schema = testSchema();
  const store = await PostgresEntityStore.open({ connectionString: pgUrl, schema });
  try {
    return await work(store);
  } finally {
    await store.close();
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
}
