/**
 * WADL → operations, as Azure's WADL import (`format: wadl-xml`, `wadl-link-json`) builds them:
 * every `method` of every (nested) `resource` is one operation whose URL template is the joined
 * resource paths, `template` parameters become template parameters, `query` and `header`
 * parameters the request's query parameters and headers (required query parameters go into the
 * template when asked, as for OpenAPI), and `representation`s the request and response
 * representations. The `resources/@base` is the service URL. See docs/import-export.md.
 */
import type { Operation, OperationResponse, Representation, TemplateParameter } from '../../model/resources.js';
import { generatedOperationName, normalizeOperationName, OperationNames } from '../openapi/operation-name.js';
import { templateParameterNames, withQueryTemplate } from '../openapi/url-template.js';
import { operationRouteKey } from '../../model/operation-route-key.js';
import { attr, childrenNamed, parseSpecXml, qname, SpecXmlError, type SpecElement } from '../xml-spec/spec-xml.js';

// The final WADL namespace and the 2006 draft that older Jersey versions still write.
const wadlNs = ['http://wadl.dev.java.net/2009/02', 'http://research.sun.com/wadl/2006/10'];
const maxDisplayName = 300;

/** The API a WADL document describes. */
export interface WadlApi {
  displayName?: string;
  description?: string;
  serviceUrl?: string;
  operations: Operation[];
}

/** Reads a WADL document; `requiredQueryInTemplate` is Azure's `translateRequiredQueryParameters: template`. */
export function readWadl(text: string, requiredQueryInTemplate: boolean): WadlApi {
  const root = parseSpecXml(text);
  if (!wadlNs.includes(root.ns) || root.local !== 'application') {
    throw new SpecXmlError("not a WADL document (the root must be 'application' in namespace http://wadl.dev.java.net/2009/02)");
  }
  const methodsById = new Map<string, SpecElement>();
  for (const m of childrenNamed(root, wadlNs, 'method')) {
    const id = attr(m, 'id');
    if (id !== undefined) methodsById.set(id, m);
  }
  const api: WadlApi = { operations: [] };
  const names = new OperationNames();
  const routes = new Map<string, string>();
  const resourcesList = childrenNamed(root, wadlNs, 'resources');
  for (const resources of resourcesList) {
    const base = attr(resources, 'base');
    if (api.serviceUrl === undefined && base && /^https?:\/\//i.test(base)) api.serviceUrl = base.replace(/\/+$/, '');
    const walk = (resource: SpecElement, parentPath: string, inherited: SpecElement[]): void => {
      const path = joinPath(parentPath, attr(resource, 'path') ?? '');
      const params = [...inherited, ...childrenNamed(resource, wadlNs, 'param')];
      for (const ref of childrenNamed(resource, wadlNs, 'method')) {
        const method = resolveMethod(ref, methodsById);
        const operation = buildOperation(method, path, params, requiredQueryInTemplate);
        const key = operationRouteKey(operation.method, operation.urlTemplate);
        const other = routes.get(key);
        if (other !== undefined) throw new SpecXmlError(`two methods have the same method and URL template (${operation.method} ${operation.urlTemplate})`);
        routes.set(key, operation.urlTemplate);
        const id = attr(method, 'id');
        operation.name = names.take((id !== undefined ? normalizeOperationName(id) : '') || generatedOperationName(operation.method, operation.urlTemplate));
        api.operations.push(operation);
      }
      // Only template parameters apply to nested resources; query and header ones are per resource.
      const passed = params.filter((p) => attr(p, 'style') === 'template');
      for (const child of childrenNamed(resource, wadlNs, 'resource')) walk(child, path, passed);
    };
    for (const resource of childrenNamed(resources, wadlNs, 'resource')) walk(resource, '', []);
  }
  const doc = childrenNamed(root, wadlNs, 'doc')[0];
  if (doc) {
    const title = attr(doc, 'title');
    if (title) api.displayName = title.slice(0, maxDisplayName);
    if (doc.text.trim() !== '') api.description = doc.text.trim();
  }
  return api;
}

/** A `<method href="#id"/>` reference → the application-level method it names. */
function resolveMethod(ref: SpecElement, byId: ReadonlyMap<string, SpecElement>): SpecElement {
  const href = attr(ref, 'href');
  if (href === undefined) return ref;
  if (!href.startsWith('#')) throw new SpecXmlError(`method reference '${href}' points outside the document; only '#id' references are read`);
  const target = byId.get(href.slice(1));
  if (!target) throw new SpecXmlError(`method reference '${href}' names no method`);
  return target;
}

function joinPath(parent: string, path: string): string {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return parent === '' ? '' : parent;
  return `${parent}/${trimmed}`;
}

function buildOperation(method: SpecElement, path: string, resourceParams: SpecElement[], requiredQueryInTemplate: boolean): Operation {
  const verb = (attr(method, 'name') ?? '').toUpperCase();
  if (!/^[A-Z]+$/.test(verb)) throw new SpecXmlError(`line ${method.line}: method '${attr(method, 'name') ?? ''}' is not an HTTP method`);
  const request = childrenNamed(method, wadlNs, 'request')[0];
  const params = [...resourceParams, ...(request ? childrenNamed(request, wadlNs, 'param') : [])];
  const byStyle = (style: string): SpecElement[] => params.filter((p) => attr(p, 'style') === style);
  const query = byStyle('query');
  const templateQuery = requiredQueryInTemplate ? query.filter((p) => attr(p, 'required') === 'true') : [];
  const pathTemplate = path === '' ? '/' : path;
  const urlTemplate = withQueryTemplate(pathTemplate, templateQuery.map((p) => attr(p, 'name') ?? ''));
  const declared = new Map<string, SpecElement>();
  for (const p of [...byStyle('template'), ...templateQuery]) declared.set(attr(p, 'name') ?? '', p);
  const templateParameters = templateParameterNames(urlTemplate).map((name) => {
    const p = declared.get(name);
    return p ? { ...parameter(p), required: true } : { name, type: 'string', required: true };
  });
  const id = attr(method, 'id');
  const methodDoc = childrenNamed(method, wadlNs, 'doc')[0];
  const title = methodDoc ? attr(methodDoc, 'title') : undefined;
  const operation: Operation = {
    name: '',
    displayName: (title ?? id ?? `${verb} ${urlTemplate}`).slice(0, maxDisplayName),
    method: verb,
    urlTemplate,
    templateParameters,
  };
  const description = methodDoc?.text.trim();
  if (description) operation.description = description;
  const req: NonNullable<Operation['request']> = {};
  const queryParameters = query.filter((p) => !templateQuery.includes(p)).map(parameter);
  if (queryParameters.length > 0) req.queryParameters = queryParameters;
  const headers = byStyle('header').map(parameter);
  if (headers.length > 0) req.headers = headers;
  const representations = request ? representationsOf(request) : [];
  if (representations.length > 0) req.representations = representations;
  if (Object.keys(req).length > 0) operation.request = req;
  const responses: OperationResponse[] = [];
  for (const response of childrenNamed(method, wadlNs, 'response')) {
    // `status` lists one or more codes; without it the response is a 200 (WADL §2.11).
    const statuses = (attr(response, 'status') ?? '200').split(/\s+/).filter((s) => /^\d{3}$/.test(s));
    for (const status of statuses) {
      const r: OperationResponse = { statusCode: Number(status) };
      const reps = representationsOf(response);
      if (reps.length > 0) r.representations = reps;
      const responseHeaders = childrenNamed(response, wadlNs, 'param').filter((p) => attr(p, 'style') === 'header').map(parameter);
      if (responseHeaders.length > 0) r.headers = responseHeaders;
      responses.push(r);
    }
  }
  if (responses.length > 0) operation.responses = responses;
  return operation;
}

function parameter(p: SpecElement): TemplateParameter {
  const name = attr(p, 'name');
  if (!name) throw new SpecXmlError(`line ${p.line}: a param has no name`);
  const out: TemplateParameter = { name, required: attr(p, 'required') === 'true' || attr(p, 'style') === 'template' };
  const type = attr(p, 'type');
  // `xs:int` → `int`: the XML Schema type's local name, as a parameter type.
  out.type = type ? qname(p, type).local : 'string';
  const defaultValue = attr(p, 'default');
  if (defaultValue !== undefined) out.defaultValue = defaultValue;
  const options = childrenNamed(p, wadlNs, 'option').map((o) => attr(o, 'value')).filter((v): v is string => v !== undefined);
  if (options.length > 0) out.values = options;
  const doc = childrenNamed(p, wadlNs, 'doc')[0]?.text.trim();
  if (doc) out.description = doc;
  return out;
}

function representationsOf(element: SpecElement): Representation[] {
  return childrenNamed(element, wadlNs, 'representation').map((r) => {
    const out: Representation = { contentType: attr(r, 'mediaType') ?? 'application/octet-stream' };
    const el = attr(r, 'element');
    if (el) out.typeName = qname(r, el).local;
    return out;
  });
}
