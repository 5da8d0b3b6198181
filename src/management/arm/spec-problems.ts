/**
 * ajv's errors → ARM's `details[]` entries: one per property, the target spelt as ARM spells a
 * property path (`request.queryParameters[0].name`), the message in the wording Gatehouse has
 * always answered (tests and clients match on it; Azure's own messages for these cases are not
 * published).
 */
import type { ErrorObject } from 'ajv';
import type { ArmErrorDetail } from './arm-error.js';

/** `/request/queryParameters/0/name` → `request.queryParameters[0].name`. */
export function propertyPath(instancePath: string, child?: string): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(child);
  let out = '';
  for (const part of parts) out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}

const typeWords: Record<string, string> = {
  string: 'a string',
  boolean: 'a boolean',
  integer: 'an integer',
  number: 'a number',
  array: 'an array',
  object: 'an object',
};

/** The problem an ajv error stands for, or undefined for errors that only repeat another. */
function problemOf(error: ErrorObject): ArmErrorDetail | undefined {
  const params = error.params as Record<string, unknown>;
  const at = propertyPath(error.instancePath);
  const detail = (target: string, message: string): ArmErrorDetail => ({ code: 'ValidationError', target, message });
  switch (error.keyword) {
    case 'additionalProperties': {
      const target = propertyPath(error.instancePath, String(params.additionalProperty));
      return detail(target, at === '' ? `Property '${target}' is not a known property of this resource.` : `Property '${target}' is not a known property.`);
    }
    case 'required': {
      const target = propertyPath(error.instancePath, String(params.missingProperty));
      return detail(target, `'${target}' is required.`);
    }
    case 'type': {
      if (error.data === null) return detail(at, `'${at}' is required.`);
      const type = String(Array.isArray(params.type) ? params.type[0] : params.type).split(',')[0]!;
      return detail(at, `'${at}' must be ${typeWords[type] ?? type}.`);
    }
    case 'minLength':
      return detail(at, `'${at}' must be at least ${String(params.limit)} characters long.`);
    case 'maxLength':
      return detail(at, `'${at}' must be at most ${String(params.limit)} characters long.`);
    case 'pattern':
      return detail(at, `'${at}' has an invalid format.`);
    case 'minimum':
      return detail(at, `'${at}' must be at least ${String(params.limit)}.`);
    case 'maximum':
      return detail(at, `'${at}' must be at most ${String(params.limit)}.`);
    case 'minItems':
      return detail(at, `'${at}' must have at least ${String(params.limit)} items.`);
    case 'maxItems':
      return detail(at, `'${at}' must have at most ${String(params.limit)} items.`);
    case 'enumIgnoringCase':
      return detail(at, `'${at}' must be one of: ${(error.schema as string[]).join(', ')}.`);
    case 'fixedValue':
      return { code: 'UnsupportedProperty', target: at, message: `'${at}' can only be ${JSON.stringify(error.schema)} in Gatehouse.` };
    case 'notSupported':
      return detail(at, `Property '${at}' is not supported by Gatehouse: ${String(error.schema)}.`);
    default:
      return detail(at, `'${at}' is not valid: ${error.message ?? error.keyword}.`);
  }
}

/** The problems of a failed validation, the first per property. */
export function specProblems(errors: readonly ErrorObject[]): ArmErrorDetail[] {
  const out = new Map<string, ArmErrorDetail>();
  for (const error of errors) {
    const p = problemOf(error);
    if (p && !out.has(p.target)) out.set(p.target, p);
  }
  return [...out.values()];
}
