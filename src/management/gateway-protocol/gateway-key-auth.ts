/**
 * Authentication of a self-hosted gateway's calls (docs/self-hosted-gateway.md): Azure's
 * `Authorization: GatewayKey {gatewayId}&{yyyyMMddHHmm}&{signature}`. The token is rebuilt with
 * each of the gateway's current keys and compared in constant time (over SHA-256 digests, so the
 * length leaks nothing); a token signed with a regenerated key matches neither. Only a token that
 * matches is then checked for expiry, so the answer says "expired" only to a genuine token and
 * "invalid" to everything else (an unknown gateway, a bad signature, a malformed header). The
 * admin token is no gateway token: a `Bearer` header is invalid here.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { EntityStore, StoredEntity } from '../../core/entity-store.js';
import { ArmError } from '../arm/arm-error.js';
import { gatewayToken, parseGatewayToken } from '../arm/kinds/gateway-token.js';
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
  const parts = m ? parseGatewayToken(m[1]!) : undefined;
  if (!m || !parts) throw new GatewayAuthError(false);
  const token = m[1]!;
  const entity = await deps.store.get(`gateways/${parts.gatewayId}`);
  if (!entity || entity.kind !== 'gateway') throw new GatewayAuthError(false);
  const name = entity.id.slice(entity.id.lastIndexOf('/') + 1);
  const given = digest(token);
  let matched = false;
  // Both keys are always tried, so the time taken does not say which one (if any) matched.
  for (const field of ['primaryKey', 'secondaryKey']) {
    const sealed = entity.body[field];
    if (typeof sealed !== 'string') continue;
    if (timingSafeEqual(given, digest(gatewayToken(name, deps.sealer.open(sealed), parts.expiry)))) matched = true;
  }
  if (!matched) throw new GatewayAuthError(false);
  if (parts.expiry.getTime() <= deps.now().getTime()) throw new GatewayAuthError(true);
  return { entity, name };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
