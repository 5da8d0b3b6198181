/**
 * `{{named value}}` substitution (reference §4.3): textual, done when a snapshot is compiled,
 * in attribute values and text, including inside expressions. Values are not resolved again.
 */

// Named value names are `^[A-Za-z0-9-._]+$` (reference §4.3). `{{ name }}` with spaces is a
// reference only when such a named value exists: otherwise it is Liquid (`{{ body.x }}`) and stays.
const reference = /\{\{(\s*)([A-Za-z0-9._-]+)(\s*)\}\}/g;

/** Replaces every `{{name}}`; calls `missing` for an unknown name (which throws, or gives the text to keep). */
export function substituteNamedValues(
  text: string,
  values: ReadonlyMap<string, string>,
  missing: (name: string, reference: string) => string,
): string {
  if (!text.includes('{{')) return text;
  return text.replace(reference, (all: string, before: string, name: string, after: string) => {
    const value = values.get(name);
    if (value !== undefined) return value;
    if (before !== '' || after !== '') return all;
    return missing(name, all);
  });
}

/** The named value names a text refers to. */
export function namedValueReferences(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(reference)) if (m[1] === '' && m[3] === '') out.push(m[2]!);
  return out;
}
