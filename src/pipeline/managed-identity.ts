/**
 * The managed identity port: access tokens for a resource, as the gateway's system-assigned
 * identity or a user-assigned one named by its client id (authentication-managed-identity, and
 * send-request's child of the same name). The gateway's implementation asks a token endpoint
 * (src/gateway/managed-identity/) and caches each token until shortly before it expires.
 */

/** Why no token could be had: LastError reason and message (source `authentication-managed-identity`). */
export class ManagedIdentityError extends Error {
  constructor(
    readonly reason: 'ManagedIdentityNotEnabled' | 'TokenAcquisitionFailed',
    message: string,
  ) {
    super(message);
    this.name = 'ManagedIdentityError';
  }
}

/** Azure's text when the service has no managed identity (as its trace shows it). */
export const managedIdentityNotEnabledMessage = 'Managed service identity is not enabled for this service and authentication-managed-identity policy cannot be used.';

export interface ManagedIdentityTokens {
  /**
   * An access token for `resource`, as the identity with `clientId` (the system-assigned one when
   * undefined). Served from the cache while it is fresh; concurrent callers for the same pair share
   * one fetch. Throws ManagedIdentityError.
   */
  token(resource: string, clientId: string | undefined): Promise<string>;
}
