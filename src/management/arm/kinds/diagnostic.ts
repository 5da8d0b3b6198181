/**
 * Diagnostics (Azure's Diagnostic contract), for the whole service (`/diagnostics/{id}`) and
 * for one API (`/apis/{a}/diagnostics/{id}`): which logger receives a record of each request,
 * how many requests are sampled and what each record holds. The gateway writes the records to
 * Gatehouse's log stream (src/gateway/diagnostic-log.ts, docs/loggers-and-diagnostics.md).
 * What Gatehouse cannot record is refused with a 400 naming the property rather than stored:
 * bodies (it does not copy message bodies into logs) and the backend side of the exchange.
 */
import { invalidField } from '../arm-error.js';
import { canonicalEnum } from '../canonical-enum.js';
import type { ResourceKind } from '../resource-kind.js';
import { diagnosticSchema } from '../resource-schemas.js';
import { referencedEntity } from './kind-helpers.js';

// Azure names diagnostics after the logger kind they feed (the portal's "applicationinsights"
// and "azuremonitor"; "local" is the self-hosted gateway's local logging).
const diagnosticNames = /^(applicationinsights|azuremonitor|local)$/i;

function diagnosticKind(kind: string, armType: string): ResourceKind {
  return {
    kind,
    armType,
    label: 'Diagnostic',
    schema: diagnosticSchema,
    namePattern: diagnosticNames,
    async prepare({ ctx, properties }) {
      const body: Record<string, unknown> = { ...properties };
      // Azure's own wording when the logger is left out (its ValidationError).
      if (typeof properties.loggerId !== 'string' || properties.loggerId === '') throw invalidField('loggerId', 'LoggerId must be specified.');
      await referencedEntity(ctx, properties.loggerId, 'loggerId', 'loggers', 'Logger');
      body.sampling = sampling(properties.sampling);
      if (body.alwaysLog !== undefined) body.alwaysLog = canonicalEnum(body.alwaysLog, ['allErrors']);
      for (const [field, values] of Object.entries(enums)) if (body[field] !== undefined) body[field] = canonicalEnum(body[field], values);
      refuseUnrecorded(body);
      return body;
    },
  };
}

const enums: Record<string, readonly string[]> = {
  httpCorrelationProtocol: ['None', 'Legacy', 'W3C'],
  verbosity: ['verbose', 'information', 'error'],
  operationNameFormat: ['Name', 'Url'],
};

/** Fixed-rate sampling (the only type Azure has); the percentage is a number from 0 to 100. */
function sampling(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  const given = value as { samplingType?: unknown; percentage?: unknown };
  const percentage = given.percentage;
  if (percentage !== undefined && (typeof percentage !== 'number' || !Number.isFinite(percentage) || percentage < 0 || percentage > 100)) {
    throw invalidField('sampling.percentage', "'sampling.percentage' must be a number from 0 to 100.");
  }
  return { ...given, samplingType: canonicalEnum(given.samplingType ?? 'fixed', ['fixed']) };
}

type Message = { headers?: string[]; body?: { bytes?: number }; dataMasking?: { queryParams?: unknown[]; headers?: unknown[] } } | undefined;

/** Refuses what the log record cannot hold: message bodies, and anything about the backend exchange. */
function refuseUnrecorded(body: Record<string, unknown>): void {
  for (const side of ['frontend', 'backend'] as const) {
    const settings = body[side] as { request?: Message; response?: Message } | undefined;
    for (const direction of ['request', 'response'] as const) {
      const message = settings?.[direction];
      const at = `${side}.${direction}`;
      if ((message?.body?.bytes ?? 0) > 0) throw invalidField(`${at}.body.bytes`, 'Gatehouse does not log message bodies; set body.bytes to 0.');
      if (side === 'backend' && (message?.headers?.length ?? 0) > 0) throw invalidField(`${at}.headers`, 'Gatehouse does not log backend headers; leave backend headers empty.');
      const masking = message?.dataMasking;
      if (side === 'backend' && ((masking?.headers?.length ?? 0) > 0 || (masking?.queryParams?.length ?? 0) > 0)) {
        throw invalidField(`${at}.dataMasking`, 'Gatehouse does not log the backend exchange; leave backend data masking empty.');
      }
    }
  }
}

export const serviceDiagnosticKind = diagnosticKind('diagnostic', 'Microsoft.ApiManagement/service/diagnostics');
export const apiDiagnosticKind = diagnosticKind('apiDiagnostic', 'Microsoft.ApiManagement/service/apis/diagnostics');
