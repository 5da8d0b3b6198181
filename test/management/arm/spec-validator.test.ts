/**
 * The request-body validator built from Azure's definitions on its own: what each conversion
 * of spec-definitions.ts means for a body (allOf merged, unknown properties refused, optional
 * ones nullable, enums without case, read-only ones dropped), Gatehouse's amendments, the
 * messages and targets of the 400's details, and own-property checks.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kindSchema } from '../../../src/management/arm/spec-validator.js';
import { kindByChain, servedChains } from '../../../src/management/arm/kind-registry.js';
import { definitionSchema, definitionSet, notSupportedMark } from '../../../src/management/arm/spec-definitions.js';
import {
  apiSchema,
  backendSchema,
  diagnosticSchema,
  gatewayKeyRegenerationSchema,
  gatewayTokenRequestSchema,
  identityProviderSchema,
  operationSchema,
  privateEndpointConnectionSchema,
  subscriptionSchema,
  tagSchema,
} from '../../../src/management/arm/resource-schemas.js';
import { serviceSchema, serviceTagsSchema } from '../../../src/management/arm/service-schema.js';

const problems = (schema: ReturnType<typeof kindSchema>, body: Record<string, unknown>, method: 'PUT' | 'PATCH' = 'PUT'): string[] =>
  schema.check(body, method).problems.map((p) => `${p.target}: ${p.message}`).sort();

describe('request bodies checked against Azure\'s definitions', () => {
  it('merges allOf: an API takes the properties of ApiCreateOrUpdateProperties, ApiContractProperties and ApiEntityBaseContract', () => {
    const body = { path: 'p', displayName: 'd', format: 'openapi', subscriptionRequired: false, apiVersionDescription: 'v' };
    assert.deepEqual(problems(apiSchema, body), []);
    assert.deepEqual(Object.keys((definitionSchema('ApiCreateOrUpdateProperties').properties as object))
      .filter((k) => ['value', 'sourceApiId', 'description', 'license'].includes(k)).sort(), ['description', 'license', 'sourceApiId', 'value']);
  });

  it('refuses unknown properties, at the top and nested, naming each', () => {
    assert.deepEqual(problems(apiSchema, { path: 'p', colour: 'red', contact: { phone: '1' } }), [
      "colour: Property 'colour' is not a known property of this resource.",
      "contact.phone: Property 'contact.phone' is not a known property.",
    ]);
  });

  it('never takes a name from Object.prototype for a field', () => {
    assert.deepEqual(problems(apiSchema, { path: 'p', constructor: 'x', toString: 'y' }), [
      "constructor: Property 'constructor' is not a known property of this resource.",
      "toString: Property 'toString' is not a known property of this resource.",
    ]);
    const proto = JSON.parse('{"path":"p","contact":{"__proto__":{"name":"x"}}}') as Record<string, unknown>;
    assert.deepEqual(problems(apiSchema, proto), ["contact.__proto__: Property 'contact.__proto__' is not allowed: '__proto__' cannot be a property name."]);
  });

  it('answers each kind of problem with its message and the property path as target', () => {
    assert.deepEqual(problems(operationSchema, {
      displayName: '',
      method: 7,
      request: { queryParameters: [{ type: 'string' }] },
      responses: [{ statusCode: 700 }],
      templateParameters: 'x',
    }), [
      "displayName: 'displayName' must be at least 1 characters long.",
      "method: 'method' must be a string.",
      "request.queryParameters[0].name: 'request.queryParameters[0].name' is required.",
      "responses[0].statusCode: 'responses[0].statusCode' must be at most 599.",
      "templateParameters: 'templateParameters' must be an array.",
      "urlTemplate: 'urlTemplate' is required.",
    ]);
    assert.deepEqual(problems(backendSchema, { url: 'x'.repeat(2001), pool: { services: [] }, circuitBreaker: { rules: [{ tripDuration: '1 hour' }] } }), [
      "circuitBreaker.rules[0].tripDuration: 'circuitBreaker.rules[0].tripDuration' has an invalid format.",
      "pool.services: 'pool.services' must have at least 1 items.",
      "url: 'url' must be at most 2000 characters long.",
    ]);
  });

  it('reads null as not given for optional properties, and as missing for required ones', () => {
    assert.deepEqual(problems(apiSchema, { path: 'p', description: null, contact: null }), []);
    assert.deepEqual(problems(subscriptionSchema, { scope: '/apis', displayName: null }), ["displayName: 'displayName' is required."]);
  });

  it('compares enums without case, and names the allowed values', () => {
    assert.deepEqual(problems(apiSchema, { path: 'p', protocols: ['HTTPS'], type: 'Http' }), []);
    assert.deepEqual(problems(apiSchema, { path: 'p', protocols: ['ftp'] }), ["protocols[0]: 'protocols[0]' must be one of: http, https, ws, wss."]);
  });

  it('drops read-only properties a GET answers, whatever they hold', () => {
    const { value, problems: found } = apiSchema.check({ path: 'p', isOnline: 'yes', provisioningState: 'Succeeded' }, 'PUT');
    assert.deepEqual(found, []);
    assert.deepEqual(value, { path: 'p' });
    const sub = subscriptionSchema.check({ scope: '/apis', displayName: 'd', createdDate: 'then' }, 'PUT');
    assert.deepEqual(sub.value, { scope: '/apis', displayName: 'd' });
  });

  it('checks PATCH against the update definition, with nothing required', () => {
    assert.deepEqual(problems(operationSchema, { description: 'only this' }, 'PATCH'), []);
    assert.deepEqual(problems(subscriptionSchema, { expirationDate: '2030-01-01T00:00:00Z' }, 'PATCH'), []);
    assert.deepEqual(operationSchema.required, ['displayName', 'method', 'urlTemplate']);
  });

  it("refuses what Gatehouse does not implement, naming the property and the reason", () => {
    assert.deepEqual(problems(backendSchema, { url: 'http://b', properties: { serviceFabricCluster: { managementEndpoints: ['x'] } } }), [
      "properties: Property 'properties' is not supported by Gatehouse: Service Fabric backends are not implemented.",
    ]);
    assert.deepEqual(problems(apiSchema, { path: 'p', type: 'grpc' }), ["type: 'type' must be one of: http, soap, websocket, graphql."]);
  });

  it("accepts a private endpoint connection's actionsRequired only as the None Gatehouse answers", () => {
    const state = (extra: Record<string, unknown>) => ({ privateLinkServiceConnectionState: { status: 'Approved', ...extra } });
    assert.deepEqual(problems(privateEndpointConnectionSchema, state({ actionsRequired: 'none' })), []);
    assert.deepEqual(problems(privateEndpointConnectionSchema, state({ actionsRequired: 'Recreate' })), [
      "privateLinkServiceConnectionState.actionsRequired: 'privateLinkServiceConnectionState.actionsRequired' must be one of: None.",
    ]);
    assert.deepEqual(problems(privateEndpointConnectionSchema, { privateLinkServiceConnectionState: { status: 'Pending' } }), [
      "privateLinkServiceConnectionState.status: 'privateLinkServiceConnectionState.status' must be one of: Approved, Rejected.",
    ]);
  });

  it('refuses an amendment or a refusal of a property no definition has, when the kind is built', () => {
    assert.throws(() => kindSchema({ put: 'GroupCreateParametersProperties', notSupported: { colour: 'no' } }), /no property 'colour'/);
    assert.throws(() => kindSchema({ put: 'GroupCreateParametersProperties', amend: { 'nested.colour': {} } }), /cannot amend 'nested.colour'/);
    assert.throws(() => kindSchema({ put: 'NoSuchDefinition' }), /no definition 'NoSuchDefinition'/);
  });

  it("compiles every served kind's PUT and PATCH schema (compiled on first use)", () => {
    for (const chain of servedChains()) {
      const schema = kindByChain(chain.split('/'))!.schema;
      for (const method of ['PUT', 'PATCH'] as const) assert.doesNotThrow(() => schema.check({}, method), `${chain} ${method}`);
    }
  });

  it('removes a keyword an amendment sets to undefined, and keeps the rest of the definition', () => {
    const long = 'x'.repeat(200);
    assert.deepEqual(problems(tagSchema, { displayName: long }), ["displayName: 'displayName' must be at most 160 characters long."]);
    const uncapped = kindSchema({ put: 'TagContractProperties', amend: { displayName: { maxLength: undefined } } });
    assert.deepEqual(problems(uncapped, { displayName: long }), []);
    assert.deepEqual(problems(uncapped, { displayName: '' }), ["displayName: 'displayName' must be at least 1 characters long."]);
  });

  it("checks a diagnostic's messages with Gatehouse's amendments: no negative byte counts, masking rules complete, the portal's body.sampling", () => {
    const loggerId = '/loggers/l';
    assert.deepEqual(problems(diagnosticSchema, { loggerId, frontend: { request: { body: { bytes: 0, sampling: null } } } }), []);
    assert.deepEqual(problems(diagnosticSchema, { loggerId, backend: { response: { body: { bytes: -1 } } } }), [
      "backend.response.body.bytes: 'backend.response.body.bytes' must be at least 0.",
    ]);
    assert.deepEqual(problems(diagnosticSchema, { loggerId, frontend: { request: { dataMasking: { headers: [{ value: 'Authorization' }] } } } }), [
      "frontend.request.dataMasking.headers[0].mode: 'frontend.request.dataMasking.headers[0].mode' is required.",
    ]);
    assert.deepEqual(problems(diagnosticSchema, { sampling: { percentage: 101 } }), ["sampling.percentage: 'sampling.percentage' must be at most 100."]);
  });

  it("leaves an identity provider's clientSecret to the kind (a folder import has none)", () => {
    assert.deepEqual(problems(identityProviderSchema, { clientId: 'c' }), []);
    assert.deepEqual(problems(identityProviderSchema, { clientSecret: 's' }), ["clientId: 'clientId' is required."]);
  });

  it("checks a gateway's key actions against GatewayKeyRegenerationRequestContract and GatewayTokenRequestContract", () => {
    assert.deepEqual(problems(gatewayKeyRegenerationSchema, { keyType: 'Secondary' }), []);
    assert.deepEqual(problems(gatewayKeyRegenerationSchema, { keyType: 'primary', colour: 'red' }), [
      "colour: Property 'colour' is not a known property of this resource.",
    ]);
    assert.deepEqual(problems(gatewayTokenRequestSchema, { keyType: null }), ["expiry: 'expiry' is required.", "keyType: 'keyType' is required."]);
  });

  it("checks a service PATCH against ApiManagementServiceUpdateProperties, with Gatehouse's network wording and refusals", () => {
    const subnet = '/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/VIRTUALNETWORKS/v/subnets/a';
    // Gatehouse reads the subnet id itself (any case), and answers a bad publicNetworkAccess in the definition's words.
    assert.deepEqual(problems(serviceSchema, { virtualNetworkType: 'internal', virtualNetworkConfiguration: { subnetResourceId: subnet, vnetid: 'x' } }, 'PATCH'), []);
    assert.deepEqual(problems(serviceSchema, { publicNetworkAccess: 'Sometimes' }, 'PATCH'), []);
    assert.deepEqual(problems(serviceSchema, { virtualNetworkConfiguration: {} }, 'PATCH'), [
      "virtualNetworkConfiguration.subnetResourceId: 'virtualNetworkConfiguration.subnetResourceId' is required.",
    ]);
    assert.deepEqual(problems(serviceSchema, { virtualNetworkConfiguration: null, virtualNetworkType: 'Sideways', publisherEmail: 'x'.repeat(101) }, 'PATCH'), [
      "publisherEmail: 'publisherEmail' must be at most 100 characters long.",
      "virtualNetworkType: 'virtualNetworkType' must be one of: None, External, Internal.",
    ]);
    assert.deepEqual(problems(serviceSchema, { publicIpAddressId: '/subscriptions/s/ip', configurationApi: { legacyApi: 'Disabled' } }, 'PATCH'), [
      "configurationApi: Property 'configurationApi' is not supported by Gatehouse: Gatehouse has no legacy (v1) configuration API to switch on or off.",
      "publicIpAddressId: Property 'publicIpAddressId' is not supported by Gatehouse: the gateway listens on the addresses it is started with (--host).",
    ]);
    const echoed = serviceSchema.check({ publisherName: 'P', gatewayUrl: 'https://x', hostnameConfigurations: [{ type: 'Proxy' }], platformVersion: 'stv2' }, 'PATCH');
    assert.deepEqual([echoed.problems, echoed.value], [[], { publisherName: 'P' }], 'what a GET answers is dropped when sent back');
    assert.deepEqual(problems(serviceTagsSchema, { tags: { env: 'test', n: 1 } }, 'PATCH'), ["tags.n: 'tags.n' must be a string."]);
  });

  it('lists every property path a body may carry', () => {
    assert.ok(operationSchema.paths.includes('request.representations[].examples.*.value'));
    assert.ok(backendSchema.paths.includes('credentials.authorization.scheme'));
    assert.ok(!apiSchema.paths.includes('isOnline'), 'read-only properties are not paths a body sets');
  });

  it('takes another definitions set: its cut properties are refused and listed, fixed values take that value only', () => {
    const definitions = definitionSet({
      definitions: {
        Thing: { allOf: [{ $ref: '#/definitions/Base' }], properties: { mode: { type: 'string', enum: ['On', 'Off'] }, plan: { type: 'object', [notSupportedMark]: 'no plans here' } } },
        Base: { properties: { id: { type: 'string' } } },
      },
    });
    const schema = kindSchema({ definitions, put: 'Thing', fixed: { mode: 'Off' } });
    assert.deepEqual(schema.notSupported, { plan: 'no plans here' });
    assert.deepEqual(schema.paths, ['id', 'mode', 'plan']);
    assert.deepEqual(schema.check({ id: 'x', mode: 'Off' }, 'PUT').problems, []);
    assert.deepEqual(schema.check({ mode: null }, 'PUT').problems, [], 'null reads as not given');
    assert.deepEqual(schema.check({ mode: 'On', plan: {} }, 'PUT').problems, [
      { code: 'UnsupportedProperty', target: 'mode', message: "'mode' can only be \"Off\" in Gatehouse." },
      { code: 'ValidationError', target: 'plan', message: "Property 'plan' is not supported by Gatehouse: no plans here." },
    ]);
  });
});
