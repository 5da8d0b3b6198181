/**
 * Which stored fields hold a sealed secret (subscription keys, secret named values' values,
 * identity and OAuth client secrets, certificates' PFX data and password; user passwords are
 * hashed, not sealed, and never exported):
 * export opens or leaves them out, and import compares them opened, since each sealing of the
 * same value differs.
 */

/** The fields of a stored `kind` body that are sealed secrets. */
export function sealedFields(kind: string, body: Record<string, unknown>): string[] {
  switch (kind) {
    case 'subscription':
      return ['primaryKey', 'secondaryKey'];
    case 'namedValue':
      return body.secret === true ? ['value'] : [];
    case 'certificate':
      return ['data', 'password'];
    case 'identityProvider':
    case 'openidConnectProvider':
      return ['clientSecret'];
    case 'authorizationServer':
      return ['clientSecret', 'resourceOwnerPassword'];
    default:
      return [];
  }
}
