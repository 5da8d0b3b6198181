/**
 * The `properties` schemas of loggers, diagnostics, tags and API schemas (Azure's
 * LoggerContractProperties, DiagnosticContractProperties, TagContractProperties and
 * SchemaContractProperties, api-version 2024-05-01). What Gatehouse does with each property is in
 * docs/loggers-and-diagnostics.md; the checks beyond shape live in the kinds.
 */
import type { FieldSchema, PropertiesSchema } from './property-schema.js';

const text = (maxLength?: number): FieldSchema => (maxLength === undefined ? { type: 'string' } : { type: 'string', maxLength });
const names: FieldSchema = { type: 'array', items: { type: 'string' } };

export const loggerSchema: PropertiesSchema = {
  fields: {
    loggerType: { type: 'string', required: true, enum: ['azureEventHub', 'applicationInsights', 'azureMonitor'] },
    description: text(256),
    credentials: { type: 'object', additional: { type: 'string' } },
    isBuffered: { type: 'boolean' },
    resourceId: text(),
  },
};

const masking: FieldSchema = {
  type: 'array',
  items: { type: 'object', properties: { value: { type: 'string', required: true }, mode: { type: 'string', required: true, enum: ['Mask', 'Hide'] } } },
};

/** HttpMessageDiagnostic: what of a request or response a diagnostic logs. */
const httpMessage: FieldSchema = {
  type: 'object',
  properties: {
    headers: names,
    // Azure caps logged body bytes at 8192; `sampling` is a read-back field the portal sends as null.
    body: { type: 'object', properties: { bytes: { type: 'integer', min: 0, max: 8192 }, sampling: { type: 'any' } } },
    dataMasking: { type: 'object', properties: { queryParams: masking, headers: masking } },
  },
};
const pipelineSettings: FieldSchema = { type: 'object', properties: { request: httpMessage, response: httpMessage } };

export const diagnosticSchema: PropertiesSchema = {
  fields: {
    loggerId: text(),
    alwaysLog: { type: 'string', enum: ['allErrors'] },
    // `percentage` is a double in Azure's contract (100.0 in real folders): checked in the kind.
    sampling: { type: 'object', properties: { samplingType: { type: 'string', enum: ['fixed'] }, percentage: { type: 'any' } } },
    frontend: pipelineSettings,
    backend: pipelineSettings,
    logClientIp: { type: 'boolean' },
    httpCorrelationProtocol: { type: 'string', enum: ['None', 'Legacy', 'W3C'] },
    verbosity: { type: 'string', enum: ['verbose', 'information', 'error'] },
    operationNameFormat: { type: 'string', enum: ['Name', 'Url'] },
    metrics: { type: 'boolean' },
  },
};

export const tagSchema: PropertiesSchema = {
  fields: { displayName: { type: 'string', required: true, minLength: 1, maxLength: 160 } },
};

export const apiSchemaSchema: PropertiesSchema = {
  fields: {
    contentType: { type: 'string', required: true, minLength: 1 },
    document: {
      type: 'object',
      properties: { value: text(), definitions: { type: 'any' }, components: { type: 'any' } },
    },
  },
  readOnly: ['provisioningState'],
};
