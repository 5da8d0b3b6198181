/**
 * `{{named value}}` substitution (reference §4.3): textual, done when a snapshot is compiled,
 * in attribute values and text, including inside expressions. Values are not resolved again.
 */

// Named value names are `^[A-Za-z0-9-._]+$` (reference §4.3); `{{ x }}` with spaces is Liquid, not a reference.
const reference = /\{\{([A-Za-z0-9._-]+)\}\}/g;

/** Replaces every `{{name}}`; calls `missing` for an unknown name (which should throw). */
export function substituteNamedValues(
  text: string,
  values: ReadonlyMap<string, string>,
  missing: (name: string) => never,
): string {
  if (!text.includes('{{')) return text;
  return text.replace(reference, (_all, rawName: string) => {
    const name = rawName;
    const value = values.get(name);
    if (value === undefined) missing(name);
    return value;
  });
}

/** The named value names a text refers to. */
export function namedValueReferences(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(reference)) out.push(m[1]!);
  return out;
}
