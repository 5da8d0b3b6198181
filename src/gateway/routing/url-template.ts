/**
 * Compiles an operation's `urlTemplate` (reference §1.3) into segments and query items once per
 * snapshot: literal segments, `{name}` single-segment parameters, segments mixing literal text and
 * parameters (`{name}.json`), the `/*` wildcard and `{*name}` greedy parameters, and the
 * template's query part (`/add?a={a}&b={b}`), whose parameters must be present to match.
 */
import { decodeSegment, segmentKey } from './path-segment.js';
import { RoutingConfigError } from './routing-config-error.js';

export type TemplateSegment =
  | { kind: 'literal'; key: string }
  /** A segment mixing literal text and parameters; `source` identifies equal patterns. */
  | { kind: 'pattern'; regex: RegExp; source: string; names: string[] }
  | { kind: 'param'; name: string }
  /** Matches the rest of the path (zero or more segments); always last. */
  | { kind: 'greedy'; name: string };

export interface TemplateQueryItem {
  /** Query parameter name, compared exactly. */
  name: string;
  /** The template parameter that receives the value, when the value is `{name}`. */
  param?: string;
  /** The value the query parameter must have, when the value is literal text. */
  literal?: string;
}

export interface CompiledTemplate {
  segments: TemplateSegment[];
  query: TemplateQueryItem[];
}

const PARAM = /\{([^{}]*)\}/g;

/** Compiles one URL template; `where` names the operation in errors. */
export function compileUrlTemplate(template: string, where: string): CompiledTemplate {
  const q = template.indexOf('?');
  const pathPart = q === -1 ? template : template.slice(0, q);
  const queryPart = q === -1 ? '' : template.slice(q + 1);
  const names = new Set<string>();
  const claim = (name: string): string => {
    if (name === '' || name === '__proto__' || names.has(name)) {
      throw new RoutingConfigError(`${where}: invalid or repeated template parameter '{${name}}' in '${template}'`);
    }
    names.add(name);
    return name;
  };

  const raw = pathPart.split('/').filter((s) => s !== '');
  const segments = raw.map((text, i): TemplateSegment => {
    const last = i === raw.length - 1;
    // Azure's wildcard operation is the URL `/*` with a template parameter named `*` [doc].
    if (text === '*' && last) return { kind: 'greedy', name: claim('*') };
    const whole = /^\{([^{}]*)\}$/.exec(text);
    if (whole) {
      const inner = whole[1]!.trim();
      if (inner.startsWith('*')) {
        if (!last) throw new RoutingConfigError(`${where}: '{${inner}}' must be the last segment of '${template}'`);
        return { kind: 'greedy', name: claim(inner.slice(1).trim() || '*') };
      }
      return { kind: 'param', name: claim(inner) };
    }
    if (text.includes('{') || text.includes('}')) return compilePattern(text, claim, where, template);
    return { kind: 'literal', key: segmentKey(decodeSegment(text)) };
  });

  const query = queryPart
    .split('&')
    .filter((s) => s !== '')
    .map((item): TemplateQueryItem => {
      const eq = item.indexOf('=');
      const name = decodeSegment(eq === -1 ? item : item.slice(0, eq));
      if (eq === -1) return { name };
      const value = item.slice(eq + 1);
      const p = /^\{([^{}]*)\}$/.exec(value);
      if (p) return { name, param: claim(p[1]!.trim()) };
      return { name, literal: decodeSegment(value) };
    });

  return { segments, query };
}

function compilePattern(
  text: string,
  claim: (name: string) => string,
  where: string,
  template: string,
): TemplateSegment {
  const names: string[] = [];
  let source = '';
  let at = 0;
  for (const m of text.matchAll(PARAM)) {
    source += escapeRegex(literalPart(text.slice(at, m.index), where, template));
    names.push(claim(m[1]!.trim()));
    // Lazy so literal text after a parameter (`{name}.json`) is honoured.
    source += '(.+?)';
    at = m.index! + m[0].length;
  }
  source = '^' + source + escapeRegex(literalPart(text.slice(at), where, template)) + '$';
  return { kind: 'pattern', regex: new RegExp(source, 'is'), source: source.toLowerCase(), names };
}

function literalPart(text: string, where: string, template: string): string {
  if (text.includes('{') || text.includes('}')) {
    throw new RoutingConfigError(`${where}: unbalanced '{' or '}' in '${template}'`);
  }
  return decodeSegment(text);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
