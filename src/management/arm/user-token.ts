/**
 * User tokens (Azure's `POST …/users/{userId}/token`, UserTokenParameters → UserTokenResult):
 * `{userId}&{yyyyMMddHHmm}&{signature}`, signed with one of the tenant access keys
 * (signed-token.ts, tenant-access-keys.ts). A client presents one to the management API as
 * `Authorization: SharedAccessSignature {token}` and then acts as that user
 * (user-authorization.ts, docs/user-access.md).
 */
import type { StoredEntity } from '../../core/entity-store.js';
import { invalidField, validationError } from './arm-error.js';
import type { ActionResult, KindContext } from './resource-kind.js';
import { latestTokenExpiry, signToken } from './signed-token.js';
import { readTenantAccess, type TenantAccess } from './tenant-access-keys.js';

/** The token for the user named `userName`, signed with the tenant's `keyType` key. */
export function userToken(userName: string, tenant: TenantAccess, keyType: 'primary' | 'secondary', expiry: Date): string {
  return signToken(userName, keyType === 'secondary' ? tenant.secondaryKey : tenant.primaryKey, expiry);
}

/** Reads UserTokenParameters (`{ properties: { keyType, expiry } }`); throws 400 naming each problem. */
function readTokenParameters(body: Record<string, unknown> | undefined, now: Date): { keyType: 'primary' | 'secondary'; expiry: Date } {
  const properties = body?.properties;
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) throw invalidField('properties', "'properties' with 'keyType' and 'expiry' is required.");
  const given = properties as Record<string, unknown>;
  const problems = [];
  for (const key of Object.keys(given)) {
    if (key !== 'keyType' && key !== 'expiry') problems.push({ code: 'ValidationError', target: `properties.${key}`, message: `'${key}' is not a property of UserTokenParameters.` });
  }
  const keyType = typeof given.keyType === 'string' ? given.keyType.toLowerCase() : undefined;
  if (keyType !== 'primary' && keyType !== 'secondary') problems.push({ code: 'ValidationError', target: 'properties.keyType', message: "'keyType' must be 'primary' or 'secondary'." });
  const expiry = typeof given.expiry === 'string' ? new Date(given.expiry) : undefined;
  if (!expiry || Number.isNaN(expiry.getTime())) problems.push({ code: 'ValidationError', target: 'properties.expiry', message: "'expiry' must be a date and time, e.g. 2030-01-01T00:00:00Z." });
  else if (expiry.getTime() <= now.getTime() || expiry.getTime() > latestTokenExpiry.getTime()) {
    problems.push({ code: 'ValidationError', target: 'properties.expiry', message: "'expiry' must be in the future and before the year 10000." });
  }
  if (problems.length > 0) throw validationError(problems);
  return { keyType: keyType as 'primary' | 'secondary', expiry: expiry! };
}

/** The `token` action of a user: `{ value }`, the user's token until the requested expiry. */
export async function userTokenAction(entity: StoredEntity, ctx: KindContext, body: Record<string, unknown> | undefined): Promise<ActionResult> {
  const { keyType, expiry } = readTokenParameters(body, ctx.now());
  const tenant = await readTenantAccess(ctx.tx, ctx.sealer);
  if (!tenant) throw new Error('the tenant access keys are missing (the handler creates them before serving)');
  const name = entity.id.slice(entity.id.lastIndexOf('/') + 1);
  return { status: 200, body: { value: userToken(name, tenant, keyType, expiry) } };
}
