/**
 * A fresh resource name for a new subscription: 24 hexadecimal characters, as Azure's portal
 * makes them. getRandomValues works on plain HTTP too, where crypto.randomUUID does not.
 */
export function newResourceId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
