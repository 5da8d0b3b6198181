/** Small readers for the untyped objects of a parsed specification. */

export type JsonObject = Record<string, unknown>;

/** The value as an object, or undefined when it is not one. */
export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** The value as an array of objects (non-objects dropped), or []. */
export function asObjectArray(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.map(asObject).filter((v): v is JsonObject => v !== undefined) : [];
}

/** The value as a non-empty trimmed string, or undefined. */
export function asText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** The value as an array of strings (others dropped), or undefined. */
export function asStringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}
