/**
 * API export (`GET …/apis/{id}?export=true&format=…`, Azure's ApiExport_Get). Azure answers
 * `{ id, format, value: { link } }` with a storage blob link valid for five minutes; a
 * self-hosted Gatehouse has no blob store, so the link is a `data:` URL holding the document
 * itself (Node's and browsers' `fetch` read it; nothing expires, no second request needs the
 * token). The inline formats (`wsdl`, `wadl`, `openapi`, `openapi+json`, `swagger`) answer the
 * document as `value` directly. The document is the one the API was imported from
 * (api-specification/stored-specification.ts); see docs/import-export.md.
 */
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { StoredEntity } from '../../../core/entity-store.js';
import { keptSpecification, type StoredSpecification } from '../../api-specification/stored-specification.js';
import { ArmError, invalidField } from '../arm-error.js';
import { resourceId } from '../arm-ids.js';
import type { KindContext } from '../resource-kind.js';

interface ExportFormat {
  family: StoredSpecification['family'];
  /** For OpenAPI: the syntax asked for and the major version it must have. */
  syntax?: 'yaml' | 'json';
  swagger?: boolean;
  /** `format` of the answer (Azure's ExportResultFormat for the link formats). */
  resultFormat: string;
  mediaType: string;
  link: boolean;
}

const formats: Record<string, ExportFormat> = {
  'wsdl-link': { family: 'wsdl', resultFormat: 'wsdl-link+xml', mediaType: 'application/xml', link: true },
  'wadl-link': { family: 'wadl', resultFormat: 'wadl-link-json', mediaType: 'application/xml', link: true },
  'openapi-link': { family: 'openapi', syntax: 'yaml', resultFormat: 'openapi-link', mediaType: 'application/yaml', link: true },
  'openapi+json-link': { family: 'openapi', syntax: 'json', resultFormat: 'openapi-link', mediaType: 'application/json', link: true },
  'swagger-link': { family: 'openapi', syntax: 'json', swagger: true, resultFormat: 'swagger-link-json', mediaType: 'application/json', link: true },
  wsdl: { family: 'wsdl', resultFormat: 'wsdl', mediaType: 'application/xml', link: false },
  wadl: { family: 'wadl', resultFormat: 'wadl', mediaType: 'application/xml', link: false },
  openapi: { family: 'openapi', syntax: 'yaml', resultFormat: 'openapi', mediaType: 'application/yaml', link: false },
  'openapi+json': { family: 'openapi', syntax: 'json', resultFormat: 'openapi+json', mediaType: 'application/json', link: false },
  swagger: { family: 'openapi', syntax: 'json', swagger: true, resultFormat: 'swagger', mediaType: 'application/json', link: false },
};

/** Whether a GET asks for an export (`export=true`). */
export function isExportRequest(query: URLSearchParams): boolean {
  return query.get('export')?.toLowerCase() === 'true';
}

/** The ApiExportResult of the API `entity` for the request's `format`; throws ArmError 400. */
export async function exportApi(entity: StoredEntity, ctx: KindContext): Promise<Record<string, unknown>> {
  const asked = ctx.query.get('format');
  if (asked === null || asked === '') throw invalidField('format', "The 'format' query parameter is required with 'export=true'.");
  const key = asked.toLowerCase();
  if (!Object.hasOwn(formats, key)) {
    throw invalidField('format', `Export format '${asked}' is not supported. Supported: ${Object.keys(formats).join(', ')}.`);
  }
  const format = formats[key]!;
  const spec = await keptSpecification(ctx.tx, entity.id);
  if (!spec || spec.family !== format.family) {
    const kept = spec ? `it was imported from a ${spec.family === 'openapi' ? 'OpenAPI' : spec.family.toUpperCase()} document` : 'it was not imported from a specification';
    throw new ArmError(400, 'NotSupported', `API '${entity.id.slice('apis/'.length)}' cannot be exported as '${asked}': Gatehouse exports the document an API was imported from, and ${kept}.`);
  }
  const document = format.family === 'openapi' ? openApiText(spec, format, asked) : spec.value;
  const value = format.link ? { link: `data:${format.mediaType};base64,${Buffer.from(document, 'utf8').toString('base64')}` } : document;
  return { id: resourceId(ctx.service, entity.id), format: format.resultFormat, value };
}

/** The kept OpenAPI document in the syntax asked for; the version cannot be converted. */
function openApiText(spec: StoredSpecification, format: ExportFormat, asked: string): string {
  const document = (spec.fileName.endsWith('.json') ? JSON.parse(spec.value) : parseYaml(spec.value)) as Record<string, unknown>;
  const isSwagger = document.swagger !== undefined;
  if (isSwagger !== (format.swagger === true)) {
    throw new ArmError(400, 'NotSupported', `The API was imported from ${isSwagger ? 'a Swagger 2.0' : 'an OpenAPI 3'} document; Gatehouse does not convert it for export format '${asked}'.`);
  }
  const sameSyntax = (format.syntax === 'json') === spec.fileName.endsWith('.json');
  if (sameSyntax) return spec.value;
  return format.syntax === 'json' ? JSON.stringify(document, null, 2) : stringifyYaml(document);
}
