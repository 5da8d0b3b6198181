/**
 * The checks of `validate-odata-request` (OData Version 4.0 and 4.01, Part 1 "Protocol" §8.1.5
 * and §8.2.6 for the version headers, Part 2 "URL Conventions" §5 for system query options):
 * each returns the problems it finds as Azure's validation error records.
 */

/** The OData versions a request may declare (OData-Version, OData-MaxVersion). */
export const odataVersions = ['4.0', '4.01'] as const;
export type ODataVersion = (typeof odataVersions)[number];

/** One finding, in the record shape of Azure's validation policies (`errors-variable-name`). */
export interface ODataProblem {
  Name: string;
  Type: 'Header' | 'QueryParameter' | 'Body';
  ValidationRule: string;
  Details: string;
  Action: 'prevent';
}

/** The version a header or attribute names, or undefined when it is not one of OData's. */
export function parseODataVersion(text: string | undefined): ODataVersion | undefined {
  const trimmed = text?.trim();
  return odataVersions.find((v) => v === trimmed);
}

const rank = (v: ODataVersion): number => odataVersions.indexOf(v);

/** What the policy's attributes fix. */
export interface ODataRules {
  defaultVersion: ODataVersion;
  minVersion?: ODataVersion;
  maxVersion?: ODataVersion;
  maxSize?: number;
}

/** The request as the checks read it. */
export interface ODataRequestView {
  version: string | undefined;
  maxVersion: string | undefined;
  /** Query parameters as sent, names and values decoded. */
  query: ReadonlyArray<[string, string]>;
  /** The body's length, declared or read; undefined when unknown. */
  bodyBytes: number | undefined;
  /** Set for a body without a declared length found longer than max-size (its length is not known). */
  bodyOverLimit?: boolean;
}

const problem = (Name: string, Type: ODataProblem['Type'], ValidationRule: string, Details: string): ODataProblem => ({ Name, Type, ValidationRule, Details, Action: 'prevent' });

/** Checks OData-Version and OData-MaxVersion; returns the version the rest is checked against. */
function checkVersions(request: ODataRequestView, rules: ODataRules, out: ODataProblem[]): ODataVersion {
  let version = rules.defaultVersion;
  if (request.version !== undefined) {
    const given = parseODataVersion(request.version);
    if (!given) out.push(problem('OData-Version', 'Header', 'version', `The OData-Version header value '${request.version}' is not a supported OData version (${odataVersions.join(', ')}).`));
    else version = given;
  }
  if (rules.minVersion && rank(version) < rank(rules.minVersion)) {
    out.push(problem('OData-Version', 'Header', 'min-odata-version', `OData version ${version} is lower than the minimum version ${rules.minVersion}.`));
  }
  if (rules.maxVersion && rank(version) > rank(rules.maxVersion)) {
    out.push(problem('OData-Version', 'Header', 'max-odata-version', `OData version ${version} is higher than the maximum version ${rules.maxVersion}.`));
  }
  if (request.maxVersion !== undefined) {
    const max = parseODataVersion(request.maxVersion);
    if (!max) out.push(problem('OData-MaxVersion', 'Header', 'version', `The OData-MaxVersion header value '${request.maxVersion}' is not a supported OData version (${odataVersions.join(', ')}).`));
    else if (rules.minVersion && rank(max) < rank(rules.minVersion)) {
      out.push(problem('OData-MaxVersion', 'Header', 'min-odata-version', `OData-MaxVersion ${max} is lower than the minimum version ${rules.minVersion}.`));
    }
  }
  return version;
}

/** System query options of OData 4.0, and those 4.01 adds. */
const options40 = ['$filter', '$select', '$expand', '$orderby', '$top', '$skip', '$count', '$search', '$format', '$skiptoken', '$deltatoken', '$apply', '$id', '$schemaversion', '$levels'];
const options401 = ['$compute', '$index'];

/** Why a system query option's value is malformed, or undefined. */
function optionValueProblem(option: string, value: string): string | undefined {
  switch (option) {
    case '$top':
    case '$skip':
    case '$index':
      return /^\d+$/.test(value) ? undefined : `${option} must be a non-negative integer, not '${value}'.`;
    case '$count':
      return /^(true|false)$/.test(value) ? undefined : `$count must be true or false, not '${value}'.`;
    case '$orderby':
      return value.split(',').every((item) => /^\s*[^\s,]+(\s+(asc|desc))?\s*$/.test(item)) ? undefined : `'${value}' is not a valid $orderby: items are expressions followed by asc or desc.`;
    case '$select':
      return value.split(',').every((item) => /^\s*(\*|[\w.]+(\/[\w.*]+)*(\(.*\))?)\s*$/.test(item)) ? undefined : `'${value}' is not a valid $select list.`;
    case '$format':
      return /^(json|xml|atom|[\w.+-]+\/[\w.+-]+(;.*)?)$/.test(value) ? undefined : `'${value}' is not a valid $format.`;
    case '$filter':
    case '$expand':
    case '$search':
    case '$apply':
    case '$compute':
      if (value.trim() === '') return `${option} must not be empty.`;
      return balanced(value) ? undefined : `${option} '${value}' has unbalanced parentheses or quotes.`;
    default:
      return undefined;
  }
}

/** Whether parentheses balance outside single-quoted string literals ('' escapes a quote). */
function balanced(text: string): boolean {
  let depth = 0;
  let quoted = false;
  for (const c of text) {
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')' && --depth < 0) return false;
  }
  return depth === 0 && !quoted;
}

/** Checks the `$` system query options: known to the version, once each, well-formed. */
function checkQuery(request: ODataRequestView, version: ODataVersion, out: ODataProblem[]): void {
  const known = version === '4.01' ? [...options40, ...options401] : options40;
  const seen = new Set<string>();
  for (const [rawName, value] of request.query) {
    // 4.01 (URL Conventions §5): names are case-insensitive and the `$` is optional for known options.
    let name = rawName;
    if (version === '4.01') {
      const lower = rawName.toLowerCase();
      const withDollar = lower.startsWith('$') ? lower : `$${lower}`;
      if (known.includes(withDollar)) name = withDollar;
    }
    if (!name.startsWith('$')) continue;
    if (!known.includes(name)) {
      const hint = known.includes(name.toLowerCase()) ? ` (OData ${version} system query options are lower case)` : '';
      out.push(problem(rawName, 'QueryParameter', 'system-query-option', `'${rawName}' is not an OData ${version} system query option${hint}.`));
      continue;
    }
    if (seen.has(name)) {
      out.push(problem(rawName, 'QueryParameter', 'system-query-option', `The system query option ${name} appears more than once.`));
      continue;
    }
    seen.add(name);
    const bad = optionValueProblem(name, value);
    if (bad) out.push(problem(rawName, 'QueryParameter', 'system-query-option', bad));
  }
}

/** Every problem of the request under the rules (empty: valid). */
export function checkODataRequest(request: ODataRequestView, rules: ODataRules): ODataProblem[] {
  const out: ODataProblem[] = [];
  const version = checkVersions(request, rules, out);
  checkQuery(request, version, out);
  if (rules.maxSize !== undefined && request.bodyBytes !== undefined && request.bodyBytes > rules.maxSize) {
    out.push(problem('body', 'Body', 'max-size', `Request's body is ${request.bodyBytes} bytes long and it exceeds the limit of ${rules.maxSize} bytes.`));
  } else if (rules.maxSize !== undefined && request.bodyOverLimit) {
    out.push(problem('body', 'Body', 'max-size', `Request's body exceeds the limit of ${rules.maxSize} bytes.`));
  }
  return out;
}
