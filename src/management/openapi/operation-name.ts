/**
 * Operation names as Azure derives them on OpenAPI import (learn.microsoft.com, "API import
 * restrictions", normalization rules for operationId): lower case, every run of characters
 * other than letters and digits becomes one dash, dashes trimmed, at most 76 characters, and a
 * `-1` … `-999` suffix when a name repeats. Without an operationId the name comes from the
 * method and URL template (`GET-/foo/{bar}` → `get-foo-bar`).
 */

import { OpenApiError } from './openapi-error.js';

const maxBaseLength = 76;

/** Normalises an operationId (or a generated `METHOD-/template`) into an operation name. */
export function normalizeOperationName(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxBaseLength)
    .replace(/-+$/, '');
}

/** The name Azure generates for an operation without operationId. */
export function generatedOperationName(method: string, urlTemplate: string): string {
  return normalizeOperationName(`${method}-${urlTemplate}`);
}

/** Hands out unique operation names within one API, suffixing repeats as Azure does. */
export class OperationNames {
  private readonly taken = new Set<string>();

  /** Reserves `base`, or `base-1`, `base-2` … when it is taken. */
  take(base: string): string {
    let name = base;
    for (let i = 1; this.taken.has(name); i++) {
      if (i > 999) throw new OpenApiError(`more than 999 operations would be named '${base}'`);
      name = `${base}-${i}`;
    }
    this.taken.add(name);
    return name;
  }
}
