/** Reads the user name out of a subscription's `ownerId` (`/users/{uid}` or a full ARM id). */

/** The lower-cased user name an owner id points at, or undefined when it names no user. */
export function ownerUserId(ownerId: string | undefined): string | undefined {
  if (!ownerId) return undefined;
  const match = /(?:^|\/)users\/([^/]+)\/?$/i.exec(ownerId.trim());
  return match ? match[1]!.toLowerCase() : undefined;
}
