/**
 * Authentication of a self-hosted gateway's calls (docs/self-hosted-gateway.md): Azure's
 * `Authorization: GatewayKey {gatewayId}&{yyyyMMddHHmm}&{signature}`. The token's signature is
 * checked against each of the gateway's current keys in constant time (signed-token.ts); a
 * token signed with a regenerated key matches neither. Only a token that
 * matches is then checked for expiry, so the answer says "expired" only to a genuine token and
 * "invalid" to everything else (an unknown gateway, a bad signature, a malformed header). The
 * admin token is no gateway token: a `Bearer` header is invalid here.
 */
import type { EntityStore, StoredEntity } from '../../core/entity-store.js';
import { ArmError } from '../arm/arm-error.js';
import { checkToken, readToken } from '../arm/signed-token.js';
import type { SecretSealer } from '../arm/secret-sealer.js';

/** The gateway a request authenticated as. */
export interface AuthenticatedGateway {
  /** The gateway resource as stored (its etag changes when a key is regenerated). */
  entity: StoredEntity;
  /** Its name as stored. */
  name: string;
}

const challenge = { 'www-authenticate': 'GatewayKey' };

/** A 401 for the gateway protocol: `GatewayTokenInvalid` or `GatewayTokenExpired`, nothing more specific. */
export class GatewayAuthError extends ArmError {
  readonly headers = challenge;
  constructor(expired: boolean) {
    super(
      401,
      expired ? 'GatewayTokenExpired' : 'GatewayTokenInvalid',
      expired ? 'The gateway token has expired: generate a new one (gateways/{gatewayId}/generateToken).' : "The gateway token is invalid. Send 'Authorization: GatewayKey <token>' with a token from gateways/{gatewayId}/generateToken.",
    );
    this.name = 'GatewayAuthError';
  }
}

/** Checks the Authorization header of a gateway call; throws GatewayAuthError (401). */
export async function authenticateGateway(header: string | undefined, deps: { store: EntityStore; sealer: Pick<SecretSealer, 'open'>; now: () => Date }): Promise<AuthenticatedGateway> {
  const m = /^GatewayKey\s+(\S+)\s*$/i.exec(header ?? '');
  const parts = m ? readToken(m[1]!) : undefined;
  if (!m || !parts) throw new GatewayAuthError(false);
  const entity = await deps.store.get(`gateways/${parts.id}`);
  if (!entity || entity.kind !== 'gateway') throw new GatewayAuthError(false);
  const name = entity.id.slice(entity.id.lastIndexOf('/') + 1);
  const keys = ['primaryKey', 'secondaryKey'].flatMap((field) => (typeof entity.body[field] === 'string' ? [deps.sealer.open(entity.body[field] as string)] : []));
  // Every key is tried (signed-token.ts), so the time taken does not say which one matched.
  const checked = checkToken(m[1]!, keys, deps.now());
  if (!checked.valid) throw new GatewayAuthError(false);
  if (checked.expired) throw new GatewayAuthError(true);
  return { entity, name };
}
