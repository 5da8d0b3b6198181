/**
 * Secret properties of configuration records (identity providers' and OAuth servers' client
 * secrets, a resource owner's password): sealed before they are stored, left out of every GET
 * (Azure's `x-ms-secret` properties: "This property will not be filled on 'GET' operations! Use
 * '/listSecrets' POST request to get the value.") and opened only by the `listSecrets` action.
 */
import type { StoredEntity } from '../../../core/entity-store.js';
import type { ActionResult, KindContext, ResourceKind, WriteInput } from '../resource-kind.js';

/** The stored body's secret `fields`: the request's value sealed, else the stored (still sealed) one. */
export function sealGivenSecrets(input: WriteInput, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const given = input.given[field];
    if (typeof given === 'string') out[field] = input.ctx.sealer.seal(given);
    else if (typeof input.existing?.body[field] === 'string') out[field] = input.existing.body[field];
  }
  return out;
}

/** The body without its secret `fields`, as a GET answers it. */
export function withoutSecrets(body: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out = { ...body };
  for (const field of fields) delete out[field];
  return out;
}

/** A `listSecrets` action answering every secret field that is set, opened. */
export function listSecretsAction(fields: readonly string[]): (entity: StoredEntity, ctx: KindContext) => Promise<ActionResult> {
  return async (entity, ctx) => {
    const body: Record<string, string> = {};
    for (const field of fields) {
      const sealed = entity.body[field];
      if (typeof sealed === 'string') body[field] = ctx.sealer.open(sealed);
    }
    return { status: 200, body };
  };
}

/** The hooks of a record whose `fields` are secrets: stored sealed, left out of GET, opened by `listSecrets`. */
export function secretRecordHooks(fields: readonly string[]): Required<Pick<ResourceKind, 'prepare' | 'present' | 'actions'>> {
  return {
    async prepare(input) {
      return { ...withoutSecrets(input.properties, fields), ...sealGivenSecrets(input, fields) };
    },
    async present(entity) {
      return withoutSecrets(entity.body, fields);
    },
    actions: { listSecrets: listSecretsAction(fields) },
  };
}
