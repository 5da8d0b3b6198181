/**
 * The `properties` schema of every resource kind the management API serves, from reference
 * §5.2 (required fields, lengths, enums). Nested objects Gatehouse stores but does not act on
 * (authentication settings, representations' examples) are accepted as given.
 */
import { isoDurationPattern } from '../../model/iso-duration.js';
import type { FieldSchema, PropertiesSchema } from './property-schema.js';

const str = (extra: Partial<{ required: boolean; minLength: number; maxLength: number; pattern: RegExp; enum: readonly string[] }> = {}): FieldSchema => ({
  type: 'string',
  ...extra,
});
const bool: FieldSchema = { type: 'boolean' };
const anyValue: FieldSchema = { type: 'any' };
const strings: FieldSchema = { type: 'array', items: { type: 'string' } };

const parameter: FieldSchema = {
  type: 'object',
  properties: {
    name: str({ required: true }),
    description: str(),
    type: str(),
    defaultValue: str(),
    required: bool,
    values: strings,
    schemaId: str(),
    typeName: str(),
    examples: anyValue,
  },
};
const representation: FieldSchema = {
  type: 'object',
  properties: {
    contentType: str({ required: true }),
    schemaId: str(),
    typeName: str(),
    examples: anyValue,
    formParameters: { type: 'array', items: parameter },
    // Not Azure's: the resolved schema an OpenAPI import keeps for mock-response. Accepted so
    // an operation read with GET (or exported to a folder) can be written back as it is.
    schema: anyValue,
  },
};

export const apiSchema: PropertiesSchema = {
  fields: {
    path: str({ maxLength: 400 }),
    displayName: str({ minLength: 1, maxLength: 300 }),
    serviceUrl: str({ maxLength: 2000 }),
    protocols: { type: 'array', items: str({ enum: ['http', 'https', 'ws', 'wss'] }) },
    description: str(),
    subscriptionRequired: bool,
    subscriptionKeyParameterNames: { type: 'object', properties: { header: str(), query: str() } },
    authenticationSettings: anyValue,
    type: str({ enum: ['http', 'soap', 'websocket', 'graphql', 'odata', 'grpc'] }),
    apiType: str({ enum: ['http', 'soap', 'websocket', 'graphql', 'odata', 'grpc'] }),
    apiRevision: str({ minLength: 1, maxLength: 100 }),
    apiRevisionDescription: str({ maxLength: 256 }),
    isCurrent: bool,
    apiVersion: str({ maxLength: 100 }),
    apiVersionDescription: str(),
    apiVersionSetId: str(),
    apiVersionSet: anyValue,
    sourceApiId: str(),
    termsOfServiceUrl: str(),
    contact: anyValue,
    license: anyValue,
    format: str(),
    value: str(),
    wsdlSelector: anyValue,
    translateRequiredQueryParameters: str(),
  },
  readOnly: ['isOnline', 'provisioningState', 'apiRevisionDescriptionReadOnly'],
};

export const operationSchema: PropertiesSchema = {
  fields: {
    displayName: str({ required: true, minLength: 1, maxLength: 300 }),
    method: str({ required: true }),
    urlTemplate: str({ required: true, minLength: 1, maxLength: 1000 }),
    templateParameters: { type: 'array', items: parameter },
    description: str({ maxLength: 1000 }),
    request: {
      type: 'object',
      properties: {
        description: str(),
        queryParameters: { type: 'array', items: parameter },
        headers: { type: 'array', items: parameter },
        representations: { type: 'array', items: representation },
      },
    },
    responses: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          statusCode: { type: 'integer', required: true, min: 100, max: 599 },
          description: str(),
          representations: { type: 'array', items: representation },
          headers: { type: 'array', items: parameter },
        },
      },
    },
    policies: str(),
  },
};

export const policySchema: PropertiesSchema = {
  fields: {
    value: str({ required: true }),
    format: str({ enum: ['xml', 'rawxml'] }),
  },
};

export const policyFragmentSchema: PropertiesSchema = {
  fields: {
    value: str({ required: true }),
    format: str({ enum: ['xml', 'rawxml'] }),
    description: str({ maxLength: 1000 }),
  },
  readOnly: ['provisioningState'],
};

export const namedValueSchema: PropertiesSchema = {
  fields: {
    displayName: str({ required: true, minLength: 1, maxLength: 256, pattern: /^[A-Za-z0-9-._]+$/ }),
    value: str({ maxLength: 4096 }),
    secret: bool,
    tags: { type: 'array', items: str(), maxItems: 32 },
    keyVault: anyValue,
  },
  readOnly: ['provisioningState'],
};

export const versionSetSchema: PropertiesSchema = {
  fields: {
    displayName: str({ required: true, minLength: 1, maxLength: 100 }),
    versioningScheme: str({ required: true, enum: ['Segment', 'Query', 'Header'] }),
    versionQueryName: str({ minLength: 1, maxLength: 100 }),
    versionHeaderName: str({ minLength: 1, maxLength: 100 }),
    description: str(),
  },
};


const keyValues: FieldSchema = { type: 'object', additional: strings };

export const backendSchema: PropertiesSchema = {
  fields: {
    url: str({ minLength: 1, maxLength: 2000 }),
    protocol: str({ enum: ['http', 'soap'] }),
    title: str({ maxLength: 300 }),
    description: str({ maxLength: 2000 }),
    resourceId: str({ maxLength: 2000 }),
    properties: anyValue,
    credentials: {
      type: 'object',
      properties: {
        // Azure's BackendCredentialsContract: at most 32 certificates either way.
        certificateIds: { type: 'array', items: { type: 'string' }, maxItems: 32 },
        certificate: { type: 'array', items: { type: 'string' }, maxItems: 32 },
        query: keyValues,
        header: keyValues,
        authorization: { type: 'object', properties: { scheme: str({ required: true }), parameter: str({ required: true }) } },
      },
    },
    proxy: { type: 'object', properties: { url: str({ required: true }), username: str(), password: str() } },
    tls: { type: 'object', properties: { validateCertificateChain: bool, validateCertificateName: bool } },
    circuitBreaker: {
      type: 'object',
      properties: {
        rules: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              name: str({ required: true }),
              failureCondition: {
                type: 'object',
                properties: {
                  count: { type: 'integer', min: 1 },
                  percentage: { type: 'integer', min: 1, max: 100 },
                  interval: str({ pattern: isoDurationPattern }),
                  statusCodeRanges: { type: 'array', items: { type: 'object', properties: { min: { type: 'integer', min: 200, max: 599 }, max: { type: 'integer', min: 200, max: 599 } } } },
                  errorReasons: { type: 'array', items: str({ maxLength: 200 }), maxItems: 10 },
                },
              },
              tripDuration: str({ pattern: isoDurationPattern }),
              acceptRetryAfter: bool,
            },
          },
        },
      },
    },
    type: str({ enum: ['Single', 'Pool'] }),
    pool: {
      type: 'object',
      properties: {
        services: {
          type: 'array',
          items: {
            type: 'object',
            properties: { id: str({ required: true }), priority: { type: 'integer', min: 0, max: 100 }, weight: { type: 'integer', min: 0, max: 100 } },
          },
        },
      },
    },
  },
};

export const productSchema: PropertiesSchema = {
  fields: {
    displayName: str({ required: true, minLength: 1, maxLength: 300 }),
    description: str({ maxLength: 1000 }),
    terms: str(),
    subscriptionRequired: bool,
    approvalRequired: bool,
    subscriptionsLimit: { type: 'integer', min: 0, nullable: true },
    state: str({ enum: ['notPublished', 'published'] }),
  },
};

export const subscriptionSchema: PropertiesSchema = {
  fields: {
    scope: str({ required: true }),
    displayName: str({ required: true, minLength: 1, maxLength: 100 }),
    ownerId: str(),
    primaryKey: str({ minLength: 1, maxLength: 256 }),
    secondaryKey: str({ minLength: 1, maxLength: 256 }),
    state: str({ enum: ['suspended', 'active', 'expired', 'submitted', 'rejected', 'cancelled'] }),
    allowTracing: bool,
    stateComment: str(),
    startDate: str(),
    expirationDate: str(),
    endDate: str(),
    notificationDate: str(),
  },
  readOnly: ['createdDate'],
};

export const userSchema: PropertiesSchema = {
  fields: {
    email: str({ minLength: 1, maxLength: 254 }),
    firstName: str({ minLength: 1, maxLength: 100 }),
    lastName: str({ minLength: 1, maxLength: 100 }),
    password: str(),
    appType: str({ enum: ['portal', 'developerPortal'] }),
    confirmation: str({ enum: ['signup', 'invite'] }),
    state: str({ enum: ['active', 'blocked', 'pending', 'deleted'] }),
    note: str(),
    identities: anyValue,
  },
  readOnly: ['registrationDate', 'groups'],
};

export const groupSchema: PropertiesSchema = {
  fields: {
    displayName: str({ required: true, minLength: 1, maxLength: 300 }),
    description: str({ maxLength: 1000 }),
    type: str({ enum: ['custom', 'system', 'external'] }),
    externalId: str(),
  },
  readOnly: ['builtIn'],
};

export const releaseSchema: PropertiesSchema = {
  fields: { apiId: str({ required: true }), notes: str() },
  readOnly: ['createdDateTime', 'updatedDateTime'],
};

/** Links (product → API, product → group, group → user) take no properties. */
export const linkSchema: PropertiesSchema = { fields: {}, readOnly: ['provisioningState'] };

export const serviceSchema: PropertiesSchema = {
  fields: {
    publisherEmail: str({ maxLength: 100 }),
    publisherName: str({ maxLength: 100 }),
    notificationSenderEmail: str({ maxLength: 100 }),
    customProperties: { type: 'object', additional: str() },
    // Checked by service-network-rules.ts, which answers a bad value with the spec's own wording.
    publicNetworkAccess: str(),
    virtualNetworkType: str({ enum: ['None', 'External', 'Internal'] }),
    // `vnetid` and `subnetname` are read-only: accepted when a GET body is sent back, then dropped.
    virtualNetworkConfiguration: {
      type: 'object',
      nullable: true,
      properties: { subnetResourceId: str({ required: true, maxLength: 1000 }), vnetid: anyValue, subnetname: anyValue },
    },
    disableGateway: bool,
  },
};

/** Approving or rejecting a private endpoint connection (reference §6.2): only the state is written. */
export const privateEndpointConnectionSchema: PropertiesSchema = {
  fields: {
    privateLinkServiceConnectionState: {
      type: 'object',
      required: true,
      properties: {
        status: str({ required: true, enum: ['Approved', 'Rejected'] }),
        description: str({ maxLength: 1000 }),
        // Server-managed ('None', or what the gateway needs); a value sent back from a GET is ignored.
        actionsRequired: anyValue,
      },
    },
  },
  readOnly: ['provisioningState', 'privateEndpoint', 'groupIds'],
};

/** Private link resources are read-only. */
export const privateLinkResourceSchema: PropertiesSchema = { fields: {}, readOnly: ['groupId', 'requiredMembers', 'requiredZoneNames'] };

/** Azure's CertificateCreateOrUpdateProperties; subject, thumbprint and expirationDate are computed. */
export const certificateSchema: PropertiesSchema = {
  fields: {
    data: str({ maxLength: 1_000_000 }),
    password: str({ maxLength: 1000 }),
    keyVault: anyValue,
  },
  readOnly: ['subject', 'thumbprint', 'expirationDate'],
};
