/**
 * Creating an API from an OpenAPI 3.x or Swagger 2.0 document (reference §5.2 "Import"), given
 * by value (`openapi`, `openapi+json`, `swagger-json`) or by link (`openapi-link`,
 * `openapi+json-link`, `swagger-link-json`). The document supplies the display name,
 * description, service URL and operations unless the request sets them. WSDL and WADL go to
 * api-import-xml.ts, a GraphQL endpoint (`graphql-link`) to graphql-link.ts.
 */
import type { Operation } from '../../../model/resources.js';
import { operationsFromSpecification, OpenApiError, type SpecificationFormat } from '../../openapi/operations-from-specification.js';
import { parseSpecification } from '../../openapi/parse-specification.js';
import { ArmError, invalidField } from '../arm-error.js';
import { importXmlSpecification, xmlImportFamily } from './api-import-xml.js';
import type { StoredSpecification } from '../../api-specification/stored-specification.js';
import { fetchLinkedDocument } from '../../api-specification/fetch-linked-document.js';
import { importGraphqlLink } from '../../api-types/graphql-link.js';

const byValue: Record<string, SpecificationFormat> = { openapi: 'yaml', 'openapi+json': 'json', 'swagger-json': 'json' };
const byLink: Record<string, SpecificationFormat> = { 'openapi-link': 'yaml', 'openapi+json-link': 'json', 'swagger-link-json': 'json' };

export interface ImportedApi {
  displayName?: string;
  description?: string;
  serviceUrl?: string;
  operations: Operation[];
  /** The API type the document implies (`soap` for a WSDL). */
  type?: string;
  /** The document, kept for export. */
  specification?: StoredSpecification;
  /** A GraphQL API's schema (SDL), stored as its `graphql` API schema. */
  graphqlSchema?: string;
}

/** Reads the specification a request names; throws ArmError 400 for unsupported formats or bad documents. */
export async function importSpecification(format: string, value: string, translateRequiredQueryParameters: unknown, wsdlSelector?: unknown): Promise<ImportedApi> {
  const key = format.toLowerCase();
  if (key === 'graphql-link') return importGraphqlLink(value);
  const xml = xmlImportFamily(key);
  if (xml) {
    const text = xml.link ? await fetchSpecification(value) : value;
    return importXmlSpecification(xml.family, text, { translateRequiredQueryParameters, wsdlSelector });
  }
  let text: string;
  let syntax: SpecificationFormat;
  // Own keys only: `format: "constructor"` is an unsupported format, not Object.prototype's.
  if (Object.hasOwn(byValue, key)) {
    text = value;
    syntax = byValue[key]!;
  } else if (Object.hasOwn(byLink, key)) {
    text = await fetchSpecification(value);
    syntax = byLink[key]!;
  } else {
    throw new ArmError(400, 'NotSupported', `API import format '${format}' is not supported by Gatehouse.`);
  }
  try {
    const parsed = parseSpecification(text, syntax);
    const info = (parsed.document.info ?? {}) as Record<string, unknown>;
    const operations = await operationsFromSpecification(text, syntax, {
      requiredQueryParameters: translateRequiredQueryParameters === 'query' ? 'query' : 'template',
    });
    return {
      displayName: typeof info.title === 'string' ? info.title.slice(0, 300) : undefined,
      description: typeof info.description === 'string' ? info.description : undefined,
      serviceUrl: serviceUrlOf(parsed.version, parsed.document),
      operations,
      specification: { family: 'openapi', fileName: syntax === 'json' ? 'specification.json' : 'specification.yaml', value: text },
    };
  } catch (err) {
    if (err instanceof OpenApiError) throw invalidField('value', `Parsing error(s): ${err.message}`);
    throw err;
  }
}

function serviceUrlOf(version: 2 | 3, document: Record<string, unknown>): string | undefined {
  if (version === 3) {
    const servers = document.servers as Array<{ url?: unknown }> | undefined;
    const url = servers?.[0]?.url;
    return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : undefined;
  }
  if (typeof document.host !== 'string') return undefined;
  const schemes = Array.isArray(document.schemes) ? (document.schemes as string[]) : ['https'];
  const scheme = schemes.includes('https') ? 'https' : (schemes[0] ?? 'https');
  return `${scheme}://${document.host}${typeof document.basePath === 'string' ? document.basePath : ''}`;
}

/** Downloads a specification by link (fetch-linked-document.ts: http or https, 15 s, 8 MiB); throws ArmError 400 on `value`. */
export async function fetchSpecification(link: string): Promise<string> {
  const document = await fetchLinkedDocument(link, 'specification');
  if (!document.ok) throw invalidField('value', `The specification at '${link}' could not be downloaded: HTTP ${document.status}.`);
  return document.text;
}

/** The stored `properties` of an imported operation. */
export function operationBody(op: Operation): Record<string, unknown> {
  const body: Record<string, unknown> = {
    displayName: op.displayName,
    method: op.method.toUpperCase(),
    urlTemplate: op.urlTemplate,
    templateParameters: op.templateParameters ?? [],
  };
  if (op.description !== undefined) body.description = op.description;
  if (op.request !== undefined) body.request = op.request;
  if (op.responses !== undefined) body.responses = op.responses;
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}
