/**
 * What validate-parameters and validate-headers check of one named value against its definition
 * in the API schema (a TemplateParameter: type and allowed values), in the words of Microsoft's
 * "Validation errors" table: more than one value, a value that cannot be parsed as the declared
 * type, a value outside the declared enumeration, and a name the schema does not declare.
 */
import type { TemplateParameter } from '../../model/resources.js';
import type { MessageSide, ValidationError } from './validation-findings.js';

/** What is checked: a query, path or header parameter of the request, or a response header. */
export type ParameterKind = 'QueryParameter' | 'PathParameter' | 'RequestHeader' | 'ResponseHeader';

const kindWords: Record<ParameterKind, string> = {
  QueryParameter: 'query parameter',
  PathParameter: 'path parameter',
  RequestHeader: 'header',
  ResponseHeader: 'header',
};

/** Request headers whose values are credentials. */
const credentialHeaders = new Set(['authorization', 'proxy-authorization', 'ocp-apim-subscription-key', 'cookie']);

function sideOfKind(kind: ParameterKind): MessageSide {
  return kind === 'ResponseHeader' ? 'response' : 'request';
}

/** The error for a name the API schema does not declare. */
export function unspecifiedParameter(kind: ParameterKind, name: string): ValidationError {
  const text = `Unspecified ${kindWords[kind]} ${name} is not allowed.`;
  return { name, type: kind, rule: 'Unspecified', details: text, publicMessage: text };
}

/** The first problem of `values` (every value given for the name) against `definition`, or undefined. */
export function checkParameterValues(kind: ParameterKind, name: string, values: readonly string[], definition: TemplateParameter): ValidationError | undefined {
  const word = kindWords[kind];
  const type = definition.type?.toLowerCase();
  const request = sideOfKind(kind) === 'request';
  if (values.length > 1 && type !== 'array') {
    const text = `${request ? 'Request' : 'Response'} cannot contain multiple values for the ${word} ${name}.`;
    return { name, type: kind, rule: 'IncorrectMessage', details: text, publicMessage: text };
  }
  for (const value of values) {
    const parts = type === 'array' ? value.split(',') : [value];
    for (const part of parts) {
      if (!parses(part, type)) {
        const reason = 'Input string was not in a correct format.';
        return {
          name,
          type: kind,
          rule: 'IncorrectMessage',
          details: `Value of the ${word} ${name} cannot be parsed according to the definition.\n\n${reason}`,
          publicMessage: `Value of the ${word} ${name} couldn't be parsed according to the definition.\n\n${reason}`,
        };
      }
      if (definition.values && definition.values.length > 0 && !definition.values.includes(part)) {
        // The text reaches the log and the trace: a credential's value is never written out.
        const shown = credentialHeaders.has(name.toLowerCase()) && kind === 'RequestHeader' ? '***' : part;
        const token = type === 'integer' || type === 'number' || type === 'boolean' ? shown : JSON.stringify(shown);
        const problem = `Value ${token} is not defined in enum. Line: 1, Position: ${token.length}`;
        return {
          name,
          type: kind,
          rule: 'IncorrectMessage',
          details: `Value of the ${word} ${name} does not conform to the definition.\n\n${problem}`,
          publicMessage: `The value of the ${word} ${name} does not conform to the definition.\n\n${problem}`,
        };
      }
    }
  }
  return undefined;
}

/** Whether `text` reads as the declared type (an undeclared or string type takes anything). */
function parses(text: string, type: string | undefined): boolean {
  const t = text.trim();
  switch (type) {
    case 'integer':
      return /^[+-]?\d+$/.test(t);
    case 'number':
      return t !== '' && Number.isFinite(Number(t));
    case 'boolean':
      return t.toLowerCase() === 'true' || t.toLowerCase() === 'false';
    default:
      return true;
  }
}

/** Per-name action overrides (`<parameter name action>`, `<header name action>`), names compared as `caseless` says. */
export class NamedOverrides<T> {
  private readonly byName = new Map<string, T>();
  constructor(private readonly caseless: boolean) {}

  set(name: string, value: T): void {
    this.byName.set(this.caseless ? name.toLowerCase() : name, value);
  }

  get(name: string): T | undefined {
    return this.byName.get(this.caseless ? name.toLowerCase() : name);
  }
}

/** The definition of `name` among `definitions` (headers without case, others exactly). */
export function findDefinition(definitions: readonly TemplateParameter[] | undefined, name: string, caseless: boolean): TemplateParameter | undefined {
  if (!definitions) return undefined;
  return caseless ? definitions.find((d) => d.name.toLowerCase() === name.toLowerCase()) : definitions.find((d) => d.name === name);
}
