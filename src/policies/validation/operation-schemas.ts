/**
 * Where the validation policies find the API schema of a message: the matched operation's
 * request or response representations (an inline `schema`, as an OpenAPI import keeps it, or a
 * `schemaId` + `typeName` naming a definition in one of the API's schemas resources), or a
 * schema named by validate-content's `schema-id` (and `schema-ref`). Azure's `schema-id` names
 * a service-level schema; Gatehouse has only the API's schemas resources, so it looks there.
 */
import type { Api, ApiSchema, Operation, Representation } from '../../model/resources.js';
import type { JsonSchemaSource } from './json-schema-check.js';
import { declaredRootElements, type XmlName } from './xml-body-check.js';
import type { MessageSide } from './validation-findings.js';

/** The representations the operation declares for one side (a response's, by its status code). */
export function representationsOf(operation: Operation, side: MessageSide, statusCode: number): readonly Representation[] {
  if (side === 'request') return operation.request?.representations ?? [];
  return operation.responses?.find((r) => r.statusCode === statusCode)?.representations ?? [];
}

/** The media type of a Content-Type value, lower case, without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** What a body is checked against, or why it cannot be. */
export type ResolvedSchema =
  | { kind: 'none' }
  | { kind: 'missing-schema' }
  | { kind: 'missing-definition'; definition: string }
  | { kind: 'json'; source: JsonSchemaSource; definition: string }
  | { kind: 'xml'; declared: readonly XmlName[] | undefined; definition: string };

/** A schema-id/schema-ref pair from a `content` element. */
export interface ExplicitSchema {
  schemaId: string;
  schemaRef?: string;
}

/** The schema for a body of `contentType`, from the explicit schema or the representation. */
export function resolveSchema(api: Api, representation: Representation | undefined, explicit: ExplicitSchema | undefined, fallbackName: string): ResolvedSchema {
  if (explicit) {
    const schema = findSchema(api, explicit.schemaId);
    if (!schema) return { kind: 'missing-schema' };
    const typeName = explicit.schemaRef === undefined && representation?.schemaId?.toLowerCase() === schema.name.toLowerCase() ? representation.typeName : undefined;
    return fromApiSchema(schema, explicit.schemaRef, typeName, explicit.schemaRef?.split('/').pop() ?? typeName ?? schema.name);
  }
  if (!representation) return { kind: 'none' };
  if (typeof representation.schema === 'object' && representation.schema !== null) {
    const title = (representation.schema as Record<string, unknown>).title;
    return { kind: 'json', source: { root: representation.schema }, definition: representation.typeName ?? (typeof title === 'string' ? title : fallbackName) };
  }
  if (representation.schemaId === undefined) return { kind: 'none' };
  const schema = findSchema(api, representation.schemaId);
  if (!schema) return { kind: 'missing-schema' };
  return fromApiSchema(schema, undefined, representation.typeName, representation.typeName ?? schema.name);
}

function findSchema(api: Api, id: string): ApiSchema | undefined {
  const wanted = id.toLowerCase();
  return api.schemas?.find((s) => s.name.toLowerCase() === wanted);
}

/** A JSON Pointer fragment for one name (`~`, `/` escaped, then URI-encoded as `$ref` needs). */
function pointerSegment(name: string): string {
  return encodeURIComponent(name.replace(/~/g, '~0').replace(/\//g, '~1'));
}

const parsedValues = new WeakMap<ApiSchema, { json?: object; xml?: XmlName[] } | null>();

/** A schema document's `value` text read once: a JSON schema, or an XSD's declared root elements. */
function parsedValue(schema: ApiSchema): { json?: object; xml?: XmlName[] } | null {
  let parsed = parsedValues.get(schema);
  if (parsed !== undefined) return parsed;
  parsed = null;
  const text = schema.document.value;
  if (typeof text === 'string') {
    const trimmed = text.trimStart();
    if (trimmed.startsWith('{')) {
      try {
        const json: unknown = JSON.parse(text);
        if (typeof json === 'object' && json !== null && !Array.isArray(json)) parsed = { json };
      } catch {
        parsed = null;
      }
    } else if (trimmed.startsWith('<')) {
      const xml = declaredRootElements(text);
      if (xml) parsed = { xml };
    }
  }
  parsedValues.set(schema, parsed);
  return parsed;
}

function fromApiSchema(schema: ApiSchema, schemaRef: string | undefined, typeName: string | undefined, definition: string): ResolvedSchema {
  const document = schema.document;
  let root: object | undefined;
  let pointer: string | undefined;
  if (typeof document.definitions === 'object' && document.definitions !== null) {
    root = document;
    if (typeName !== undefined) pointer = `#/definitions/${pointerSegment(typeName)}`;
    if (typeName !== undefined && !(typeName in (document.definitions as Record<string, unknown>))) return { kind: 'missing-definition', definition };
  } else if (typeof document.components === 'object' && document.components !== null) {
    root = document;
    const schemas = (document.components as Record<string, unknown>).schemas;
    if (typeName !== undefined) pointer = `#/components/schemas/${pointerSegment(typeName)}`;
    if (typeName !== undefined && !(typeof schemas === 'object' && schemas !== null && typeName in schemas)) return { kind: 'missing-definition', definition };
  } else {
    const parsed = parsedValue(schema);
    if (parsed?.xml) return { kind: 'xml', declared: typeName === undefined ? parsed.xml : parsed.xml.filter((e) => e.local === typeName), definition };
    if (!parsed?.json) return { kind: 'missing-schema' };
    root = parsed.json;
    if (typeName !== undefined) {
      const definitions = (parsed.json as Record<string, unknown>).definitions ?? (parsed.json as Record<string, unknown>).$defs;
      if (typeof definitions === 'object' && definitions !== null && typeName in definitions) {
        pointer = `#/${(parsed.json as Record<string, unknown>).definitions ? 'definitions' : '$defs'}/${pointerSegment(typeName)}`;
      }
    }
  }
  if (schemaRef !== undefined) pointer = schemaRef;
  if (pointer !== undefined && !pointerExists(root, pointer)) return { kind: 'missing-definition', definition };
  return { kind: 'json', source: pointer === undefined ? { root } : { root, pointer }, definition };
}

/** Whether a `#/a/b` fragment names something in `root`. */
function pointerExists(root: object, fragment: string): boolean {
  if (!fragment.startsWith('#')) return false;
  let at: unknown = root;
  for (const raw of fragment.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof at !== 'object' || at === null || !(key in at)) return false;
    at = (at as Record<string, unknown>)[key];
  }
  return true;
}
