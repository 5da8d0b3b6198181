/**
 * APIM compares enum values without case (`modelAsString` enums, spec-definitions.ts) and
 * answers them spelt as its definition spells them: `PUBLISHED` is stored and answered as
 * `published`.
 */

/** The definition's spelling of an enum value; any other value is returned as it is. */
export function canonicalEnum(value: unknown, allowed: readonly string[]): unknown {
  if (typeof value !== 'string') return value;
  return allowed.find((a) => a.toLowerCase() === value.toLowerCase()) ?? value;
}
