/**
 * `rewrite-uri`: replaces the backend-bound path (relative to the backend base URL) with a
 * template whose `{param}` placeholders take the operation's matched template values; template
 * query parameters are added, and with `copy-unmatched-params` the request's other query
 * parameters are kept (reference §3 "Transformation / routing").
 */
import type { Operation } from '../model/resources.js';
import type { GatewayContext } from '../pipeline/gateway-context.js';
import type { PolicyModule } from '../pipeline/policy-module.js';
import { RequestUrl } from '../pipeline/request-url.js';
import { attribute } from '../pipeline/xml.js';
import { joinBackendPath } from '../pipeline/backend-path.js';

/** A run of literal text or a `{name}` placeholder (`{*name}` keeps `/` in its value). */
export type TemplatePart = { literal: string } | { param: string; greedy: boolean };

export interface UriTemplate {
  path: TemplatePart[];
  /** Query pairs in order; a value of null means `name` without `=`. */
  query: Array<{ name: TemplatePart[]; value: TemplatePart[] | null }>;
}

/** A template that cannot be parsed. */
export class UriTemplateError extends Error {}

/** Parses a rewrite template (`/v2/{store}/{order}?City=city&id={id}`); throws UriTemplateError. */
export function parseUriTemplate(template: string): UriTemplate {
  const text = template.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new UriTemplateError('The template must be relative to the backend service URL; use set-backend-service to change the host.');
  }
  const q = text.indexOf('?');
  const pathText = q === -1 ? text : text.slice(0, q);
  const queryText = q === -1 ? '' : text.slice(q + 1);
  const query: UriTemplate['query'] = [];
  for (const pair of queryText.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = parseParts(eq === -1 ? pair : pair.slice(0, eq), text);
    query.push({ name, value: eq === -1 ? null : parseParts(pair.slice(eq + 1), text) });
  }
  return { path: parseParts(pathText, text), query };
}

function parseParts(text: string, whole: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{', i);
    const close = text.indexOf('}', i);
    if (close !== -1 && (open === -1 || close < open)) throw new UriTemplateError(`The template '${whole}' has an unmatched '}'.`);
    if (open === -1) {
      parts.push({ literal: text.slice(i) });
      break;
    }
    if (open > i) parts.push({ literal: text.slice(i, open) });
    const end = text.indexOf('}', open);
    if (end === -1) throw new UriTemplateError(`The template '${whole}' has an unmatched '{'.`);
    let name = text.slice(open + 1, end).trim();
    const greedy = name.startsWith('*');
    if (greedy) name = name.slice(1).trim();
    if (name === '' && !greedy) throw new UriTemplateError(`The template '${whole}' has an empty parameter name.`);
    if (name.includes('{')) throw new UriTemplateError(`The template '${whole}' has an unmatched '{'.`);
    // `{*}` is the wildcard operation's parameter, named `*` (reference §1.3).
    parts.push({ param: name === '' ? '*' : name, greedy });
    i = end + 1;
  }
  return parts;
}

/** The placeholder names a template uses. */
export function templateParameterNames(template: UriTemplate): string[] {
  const names = new Set<string>();
  const visit = (parts: readonly TemplatePart[] | null) => {
    for (const p of parts ?? []) if ('param' in p) names.add(p.param);
  };
  visit(template.path);
  for (const q of template.query) {
    visit(q.name);
    visit(q.value);
  }
  return [...names];
}

interface OperationTemplateInfo {
  /** Every parameter name of the operation's URL template (path and query). */
  params: Set<string>;
  /** Query parameter names the operation template consumes, e.g. `a` for `/get?a={b}`. */
  queryNames: Set<string>;
  /** Template parameter → the query parameter it is read from. */
  queryParamSource: Map<string, string>;
  /** Parameters declared `{*name}`. */
  greedy: Set<string>;
}

const operationInfoCache = new WeakMap<Operation, OperationTemplateInfo>();

/** What an operation's urlTemplate (`/users/{id}?a={b}`) declares. */
export function operationTemplateInfo(operation: Operation): OperationTemplateInfo {
  const cached = operationInfoCache.get(operation);
  if (cached) return cached;
  const info: OperationTemplateInfo = { params: new Set(), queryNames: new Set(), queryParamSource: new Map(), greedy: new Set() };
  const template = operation.urlTemplate ?? '';
  const q = template.indexOf('?');
  const pathText = q === -1 ? template : template.slice(0, q);
  for (const m of pathText.matchAll(/\{\s*(\*?)\s*([^{}]*?)\s*\}/g)) {
    const name = m[2] === '' ? '*' : m[2]!;
    info.params.add(name);
    if (m[1] === '*') info.greedy.add(name);
  }
  // A bare `/*` wildcard operation has the template parameter `*`.
  if (/(^|\/)\*$/.test(pathText)) {
    info.params.add('*');
    info.greedy.add('*');
  }
  if (q !== -1) {
    for (const pair of template.slice(q + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const queryName = (eq === -1 ? pair : pair.slice(0, eq)).trim();
      info.queryNames.add(queryName);
      const value = eq === -1 ? '' : pair.slice(eq + 1);
      for (const m of value.matchAll(/\{\s*([^{}]+?)\s*\}/g)) {
        info.params.add(m[1]!);
        info.queryParamSource.set(m[1]!, queryName);
      }
    }
  }
  for (const p of operation.templateParameters ?? []) info.params.add(p.name);
  operationInfoCache.set(operation, info);
  return info;
}

/** The value of a template parameter for this request, or undefined when it has none. */
function parameterValue(gw: GatewayContext, name: string, info: OperationTemplateInfo): string | undefined {
  const matched = gw.request.matchedParameters;
  if (Object.prototype.hasOwnProperty.call(matched, name)) return matched[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(matched)) if (k.toLowerCase() === lower) return v;
  // Query template parameters (`?a={b}`) read the caller's query when the router did not copy them.
  const source = info.queryParamSource.get(name);
  if (source !== undefined) return gw.request.originalUrl.queryValue(source);
  const declared = gw.operation.templateParameters?.find((p) => p.name.toLowerCase() === lower);
  return declared?.defaultValue;
}

// Path characters kept as they are: RFC 3986 pchar plus `/`; `%` only as an escape.
const pathLiteralUnsafe = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]|%(?![0-9A-Fa-f]{2})/g;

function encodePathLiteral(text: string): string {
  return text.replace(pathLiteralUnsafe, (c) => encodeURIComponent(c));
}

// A template's literal parts are fixed once compiled: each is encoded once, on first use.
const encodedLiterals = new WeakMap<TemplatePart, string>();

function encodedPathLiteral(part: { literal: string }): string {
  let encoded = encodedLiterals.get(part);
  if (encoded === undefined) encodedLiterals.set(part, (encoded = encodePathLiteral(part.literal)));
  return encoded;
}

/** Encodes a (decoded) parameter value for a path; greedy parameters keep their `/`. */
function encodePathValue(value: string, keepSlash: boolean): string {
  const encoded = encodeURIComponent(value);
  return keepSlash ? encoded.replace(/%2F/gi, '/') : encoded;
}

function decodeQueryLiteral(text: string): string {
  const plus = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}

/** Builds the new backend-bound URL for a template. */
export function rewriteUrl(gw: GatewayContext, template: UriTemplate, copyUnmatched: boolean): RequestUrl {
  const info = operationTemplateInfo(gw.operation);
  const value = (name: string) => parameterValue(gw, name, info);

  let path = '';
  for (const part of template.path) {
    if ('literal' in part) path += encodedPathLiteral(part);
    else path += encodePathValue(value(part.param) ?? '', part.greedy || info.greedy.has(part.param));
  }
  const pairs: Array<[string, string]> = [];
  for (const entry of template.query) {
    const name = entry.name.map((p) => ('literal' in p ? decodeQueryLiteral(p.literal) : (value(p.param) ?? ''))).join('');
    if (name === '') continue;
    if (entry.value === null) {
      pairs.push([name, '']);
      continue;
    }
    // A value that is only a placeholder without a value drops the parameter.
    const only = entry.value.length === 1 ? entry.value[0]! : undefined;
    if (only && 'param' in only && value(only.param) === undefined) continue;
    pairs.push([name, entry.value.map((p) => ('literal' in p ? decodeQueryLiteral(p.literal) : (value(p.param) ?? ''))).join('')]);
  }
  if (copyUnmatched) {
    const consumed = new Set([...info.queryNames, ...pairs.map(([n]) => n)]);
    for (const [n, v] of gw.request.url.query) if (!consumed.has(n)) pairs.push([n, v]);
  }
  const current = gw.request.url;
  const basePath = gw.backendBase?.path ?? '';
  const relative = path === '' ? '' : path.startsWith('/') ? path : '/' + path;
  return new RequestUrl(current.scheme, current.host, current.port, joinBackendPath(basePath, relative), pairs);
}

export const rewriteUri: PolicyModule = {
  name: 'rewrite-uri',
  sections: ['inbound'],
  attributes: {
    template: { type: 'string', required: true, expression: true },
    'copy-unmatched-params': { type: 'boolean', default: true, expression: true },
  },
  compile(element, ctx) {
    const templateValue = ctx.string(element, 'template')!;
    const copyUnmatched = ctx.boolean(element, 'copy-unmatched-params')!;
    const templateAttr = attribute(element, 'template') ?? element;
    let parsed: UriTemplate | undefined;
    if (templateValue.isConstant) {
      try {
        parsed = parseUriTemplate(templateValue.constant!);
      } catch (err) {
        if (err instanceof UriTemplateError) ctx.fail(templateAttr, err.message);
        throw err;
      }
      // At operation scope the operation is known: the template may only use its parameters.
      if (ctx.operation) {
        const known = operationTemplateInfo(ctx.operation).params;
        for (const name of templateParameterNames(parsed)) {
          if (!known.has(name)) ctx.fail(templateAttr, `The template parameter '${name}' is not defined in the operation's URL template.`);
        }
      }
    }
    const constantTemplate = parsed;
    return (gw) => {
      const template = constantTemplate ?? parseUriTemplate(templateValue.get(gw));
      gw.request.url = rewriteUrl(gw, template, copyUnmatched.get(gw));
      if (gw.requestTrace) gw.traceStep('rewrite-uri', { message: 'Updated request URL path.', url: gw.request.url.toString() });
    };
  },
};
