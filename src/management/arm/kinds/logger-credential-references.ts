/**
 * The named values loggers' credentials name (`{{display name}}`, which is also how a clear-text
 * secret is kept: `{{Logger-Credentials-<id>}}`, logger.ts). A named value a logger names must
 * exist, so renaming or deleting one is refused as for a policy's (policy-recheck.ts).
 */
import type { EntityTransaction } from '../../../core/entity-store.js';
import { singleNamedValueReference } from './secret-named-value.js';
import { validationError } from '../arm-error.js';

/** The prefix of the named values a logger makes for its clear-text secrets. */
export const loggerCredentialsPrefix = 'Logger-Credentials-';

/** One credential of a stored logger that names a named value. */
export interface LoggerCredentialReference {
  /** Store id of the logger (`loggers/ai`). */
  loggerId: string;
  /** The credential key (`instrumentationKey`). */
  key: string;
  /** The named value's display name, as written. */
  namedValue: string;
}


/** Every credential of every stored logger that names a named value. */
export async function loggerCredentialReferences(tx: EntityTransaction): Promise<LoggerCredentialReference[]> {
  const out: LoggerCredentialReference[] = [];
  for (const logger of (await tx.list({ kind: 'logger' })).items) {
    const credentials = (logger.body.credentials ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(credentials)) {
      const namedValue = typeof value === 'string' ? singleNamedValueReference(value) : undefined;
      if (namedValue !== undefined) out.push({ loggerId: logger.id, key, namedValue });
    }
  }
  return out;
}

/** Throws a 400 ValidationError (target: the logger's id) when a logger names a named value that is not stored. */
export async function refuseMissingLoggerCredentials(tx: EntityTransaction, reason: string): Promise<void> {
  const references = await loggerCredentialReferences(tx);
  if (references.length === 0) return;
  const names = new Set((await tx.list({ kind: 'namedValue' })).items.map((nv) => String(nv.body.displayName ?? '').toLowerCase()));
  const missing = references.find((r) => !names.has(r.namedValue.toLowerCase()));
  if (!missing) return;
  throw validationError([
    {
      code: 'ValidationError',
      target: missing.loggerId,
      message: `${reason} The logger '${missing.loggerId}' would no longer be valid: credentials.${missing.key} names '${missing.namedValue}', which would not exist.`,
    },
  ]);
}
