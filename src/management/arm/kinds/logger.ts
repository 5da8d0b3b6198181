/**
 * Loggers (Azure's Logger contract): where diagnostics send what they record. Gatehouse writes
 * that record to its own log stream (docs/loggers-and-diagnostics.md) and never contacts Azure
 * Monitor or Application Insights; an event hub logger's credentials are where log-to-eventhub
 * sends (Event Hubs, RabbitMQ or NATS: gateway/event-logging/). Credentials are kept as Azure keeps them: a secret
 * given in clear text is moved into a secret named value `Logger-Credentials-<id>` and the
 * logger answers `{{Logger-Credentials-<id>}}` in its place, so no GET ever shows it. A logger
 * written again with a clear-text secret (a re-import of the same folder) updates the named value
 * it already has rather than making another one, so none accumulate.
 */
import { eventSinkKind } from '../../../model/event-sink-kind.js';
import { ArmError, invalidField } from '../arm-error.js';
import { canonicalEnum } from '../canonical-enum.js';
import type { KindContext, ResourceKind } from '../resource-kind.js';
import { loggerSchema } from '../resource-schemas.js';
import { diagnosticsUsingLogger } from './diagnostic-queries.js';
import { secretNamedValueReference } from './secret-named-value.js';
import { loggerCredentialsPrefix } from './logger-credential-references.js';
import { policyRecheckHooks } from './policy-dependency.js';

/** The credential keys each logger type takes, and which of them are secrets. */
const credentialKeys: Record<string, { keys: readonly string[]; secrets: readonly string[]; oneOf?: readonly string[] }> = {
  applicationInsights: { keys: ['instrumentationKey', 'connectionString'], secrets: ['instrumentationKey', 'connectionString'], oneOf: ['instrumentationKey', 'connectionString'] },
  azureEventHub: { keys: ['name', 'connectionString', 'endpointAddress', 'identityClientId'], secrets: ['connectionString'] },
  azureMonitor: { keys: [], secrets: [] },
};

export const loggerKind: ResourceKind = {
  kind: 'logger',
  armType: 'Microsoft.ApiManagement/service/loggers',
  label: 'Logger',
  schema: loggerSchema,
  namePattern: /^[^*#&+:<>?\/]{1,256}$/,
  async prepare({ ctx, properties, existing }) {
    const body: Record<string, unknown> = { ...properties };
    const type = String(canonicalEnum(properties.loggerType, Object.keys(credentialKeys)));
    body.loggerType = type;
    body.isBuffered = properties.isBuffered ?? true;
    const previous = (existing?.body.credentials ?? {}) as Record<string, unknown>;
    body.credentials = await storedCredentials(ctx, type, (properties.credentials ?? {}) as Record<string, string>, previous);
    if (Object.keys(body.credentials as object).length === 0) delete body.credentials;
    return body;
  },
  async beforeDelete(entity, ctx) {
    const users = await diagnosticsUsingLogger(ctx.tx, entity.id);
    if (users.length === 0) return;
    // Azure's Logger_Delete took `force` ("Force deletion even if diagnostic is attached");
    // without it a logger in use stays. A forced delete takes its diagnostics along, since a
    // diagnostic must name an existing logger.
    if (ctx.query.get('force')?.toLowerCase() !== 'true') {
      const list = users.map((d) => `'${d.id}'`).join(', ');
      throw new ArmError(409, 'Conflict', `Logger is in use by diagnostic(s) ${list}; delete them first or pass force=true.`);
    }
    for (const d of users) await ctx.tx.delete(d.id);
  },
  // log-to-eventhub names a logger of type azureEventHub: deleting it, or changing its type, is
  // refused while a policy uses it, as deleting a backend a policy names is.
  ...policyRecheckHooks('The logger is used by a policy.'),
};

/** Checks the credentials against the logger type and seals clear-text secrets into named values. */
async function storedCredentials(ctx: KindContext, type: string, given: Record<string, string>, previous: Record<string, unknown>): Promise<Record<string, string>> {
  const rule = credentialKeys[type]!;
  for (const key of Object.keys(given)) {
    if (!rule.keys.includes(key)) throw invalidField(`credentials.${key}`, `Credential '${key}' is not valid for a logger of type ${type}.`);
  }
  if (rule.oneOf && !rule.oneOf.some((k) => typeof given[k] === 'string' && given[k] !== '')) {
    throw invalidField('credentials', `A logger of type ${type} needs credentials.${rule.oneOf.join(' or credentials.')}.`);
  }
  if (type === 'azureEventHub' && (typeof given.name !== 'string' || given.name === '')) {
    throw invalidField('credentials.name', 'A logger of type azureEventHub needs credentials.name (the event hub).');
  }
  if (type === 'azureEventHub') refuseUnknownSink(given.connectionString);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(given)) {
    out[key] = rule.secrets.includes(key) ? await sealedReference(ctx, key, value, previous[key]) : value;
  }
  return out;
}

/**
 * An event hub logger's connection string given in clear text must name a sink the gateway can
 * send to (docs/loggers-and-diagnostics.md): Event Hubs, RabbitMQ or NATS. A `{{named value}}`
 * reference is checked when the gateway opens it.
 */
function refuseUnknownSink(connectionString: string | undefined): void {
  if (connectionString === undefined || /^\{\{[^}]+\}\}$/.test(connectionString.trim())) return;
  if (eventSinkKind(connectionString) === undefined) {
    throw invalidField('credentials.connectionString', 'An azureEventHub logger needs an Event Hubs connection string (Endpoint=sb://…), or an amqp:// (RabbitMQ) or nats:// (NATS) URL.');
  }
}

/**
 * A `{{named value}}` reference stays (it must exist); a clear-text secret becomes one: the
 * `Logger-Credentials-…` named value this credential already names (`previous`) gets the new
 * value, else a new one is made.
 */
function sealedReference(ctx: KindContext, key: string, value: string, previous: unknown): Promise<string> {
  return secretNamedValueReference(ctx, `credentials.${key}`, loggerCredentialsPrefix.slice(0, -1), value, previous);
}
