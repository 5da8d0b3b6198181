/**
 * The machine's PostgreSQL for tests (127.0.0.1:5432, trust auth, database `test`;
 * GATEHOUSE_TEST_POSTGRES_URL points elsewhere) and schema names no other test run shares.
 * Absent PostgreSQL fails under CI=true and skips with a printed reason elsewhere (DESIGN.md "Tests").
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const testPostgresUrl = process.env.GATEHOUSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema name unique to this test run, starting with `prefix`. */
export function uniqueSchema(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Undefined when PostgreSQL answers, else why `what` is skipped (a failing test under CI=true). */
export async function postgresSkipReason(what: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: testPostgresUrl, connectionTimeoutMillis: 5000 });
  let reason: string | undefined;
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    reason = `PostgreSQL at ${testPostgresUrl} is unreachable (${(err as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
  if (reason === undefined) return undefined;
  if (process.env.CI === 'true') it(`reaches PostgreSQL (required in CI for ${what})`, () => assert.fail(reason));
  else console.log(`# skipping ${what}: ${reason}`);
  return reason;
}

/** Runs `work` on a connection of its own, closed afterwards. */
export async function withPostgres<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testPostgresUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops the test's schemas with everything in them. */
export async function dropSchemas(schemas: Iterable<string>): Promise<void> {
  const names = [...schemas];
  if (names.length === 0) return;
  await withPostgres(async (client) => {
    for (const schema of names) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });
}

/**
 * Ends the server side of the connections whose `application_name` is `applicationName`
 * (pg_terminate_backend, as an operator or a failover would); returns how many it ended.
 */
export async function terminateConnections(applicationName: string): Promise<number> {
  return withPostgres(async (client) => {
    // Two steps: in one WHERE the server may call pg_terminate_backend before the name filter.
    const found = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
    let ended = 0;
    for (const { pid } of found.rows) {
      const result = await client.query<{ ended: boolean }>('SELECT pg_terminate_backend($1) AS ended', [pid]);
      if (result.rows[0]?.ended) ended++;
    }
    return ended;
  });
}
