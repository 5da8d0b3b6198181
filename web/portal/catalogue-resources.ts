/**
 * The shapes of what the catalogue pages read from the management API: an API's operations and
 * schemas (as an OpenAPI import stores them) and the signed-in user's subscriptions.
 */
import type { Resource } from './resources.js';

/** A template, query or header parameter of an operation. */
export interface ParameterContract {
  name: string;
  type?: string;
  required?: boolean;
  description?: string;
  defaultValue?: string;
  values?: string[];
}

export interface RepresentationExample {
  summary?: string;
  description?: string;
  value?: unknown;
  externalValue?: string;
}

/** A body's content type with its examples and its schema: inline (`schema`) or by reference (`schemaId`, `typeName`). */
export interface RepresentationContract {
  contentType: string;
  examples?: Record<string, RepresentationExample>;
  schemaId?: string;
  typeName?: string;
  schema?: unknown;
  formParameters?: ParameterContract[];
}

export interface ResponseContract {
  statusCode: number;
  description?: string;
  representations?: RepresentationContract[];
  headers?: ParameterContract[];
}

export interface OperationProperties {
  displayName: string;
  method: string;
  urlTemplate: string;
  description?: string;
  templateParameters?: ParameterContract[];
  request?: {
    description?: string;
    queryParameters?: ParameterContract[];
    headers?: ParameterContract[];
    representations?: RepresentationContract[];
  };
  responses?: ResponseContract[];
}

export interface SchemaProperties {
  contentType: string;
  document?: { definitions?: Record<string, unknown>; components?: { schemas?: Record<string, unknown> } & Record<string, unknown>; value?: string };
}

export interface SubscriptionProperties {
  scope: string;
  displayName?: string;
  state: string;
}

export interface SubscriptionKeys {
  primaryKey: string;
  secondaryKey: string;
}

export type Operation = Resource<OperationProperties>;
export type ApiSchema = Resource<SchemaProperties>;
export type Subscription = Resource<SubscriptionProperties>;

/** The API's subscription key header (Azure's default when the API names none). */
export function subscriptionKeyHeader(api: { properties: { subscriptionKeyParameterNames?: { header?: string } } }): string {
  return api.properties.subscriptionKeyParameterNames?.header || 'Ocp-Apim-Subscription-Key';
}
