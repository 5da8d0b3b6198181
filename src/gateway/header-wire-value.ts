/**
 * Header values as they go on the wire. Node writes a header string as latin1, one byte per
 * character, and refuses any character above U+00FF: a policy's value such as `café ☃` used to
 * fail the whole response head. Such a value is sent as its UTF-8 bytes instead (RFC 9110 §5.5
 * lets a field value carry opaque bytes), the form a backend's UTF-8 value arrived in
 * (backend-exchange.ts reads values as UTF-8). Values within latin1 are left alone: that is how
 * Node read the client's own header bytes, so they go on byte for byte. Control characters stay
 * too: no encoding makes them legal, and Node refuses them.
 */

const beyondLatin1 = /[^\u0000-\u00ff]/;

/** `value`, or the string whose latin1 bytes are its UTF-8 bytes when it has a character above U+00FF. */
export function headerValueForWire(value: string): string {
  if (!beyondLatin1.test(value)) return value;
  return Buffer.from(value, 'utf8').toString('latin1');
}
