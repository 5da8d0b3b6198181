/**
 * `GATEHOUSE_CONFIG_POLL_MS` (issue 17 §2): how often the gateway polls the store's version,
 * overriding live-config.ts's default (200 ms for SQLite; 5 s for PostgreSQL, whose changes
 * arrive by notification and whose poll is only the fallback). An environment setting without a
 * flag: operators rarely need it, and a test sets it long to show that notifications alone
 * carry a change.
 */
import { UsageError } from './command-options.js';

/** The accepted range: 50 ms to one hour. */
const minPollMs = 50;
const maxPollMs = 3_600_000;

/** The poll interval `GATEHOUSE_CONFIG_POLL_MS` sets, or undefined when it is unset or empty. */
export function configPollMs(env: NodeJS.ProcessEnv): number | undefined {
  const text = env.GATEHOUSE_CONFIG_POLL_MS;
  if (text === undefined || text === '') return undefined;
  const ms = /^[0-9]{1,7}$/.test(text) ? Number(text) : NaN;
  if (!(ms >= minPollMs && ms <= maxPollMs)) {
    throw new UsageError(`Invalid GATEHOUSE_CONFIG_POLL_MS '${text.slice(0, 40)}': expected whole milliseconds from ${minPollMs} to ${maxPollMs} (one hour).`);
  }
  return ms;
}
