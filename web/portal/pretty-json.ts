/** JSON text indented for reading; text that is not JSON stays as it is. */
export function prettyJsonText(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** A value as indented JSON (a string stays as written: an example may be XML or plain text). */
export function prettyValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/** Whether a content type is JSON (`application/json`, `application/problem+json`, …). */
export function isJsonContentType(contentType: string | undefined): boolean {
  return /^application\/([\w.-]+\+)?json\b/i.test((contentType ?? '').trim());
}
