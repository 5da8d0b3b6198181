/**
 * The write steps every PUT and PATCH goes through once its target is known, shared by the REST
 * verbs and by the APIOps folder import, so both validate a resource by the same rules: the
 * name pattern, the kind's property schema, required fields, the kind's `prepare` (defaults,
 * references, policy compilation) and its `afterWrite` checks.
 */
import type { StoredEntity } from '../../core/entity-store.js';
import { invalidField, validationError } from './arm-error.js';
import type { KindContext, ResourceKind, WriteInput } from './resource-kind.js';
import { resolveResource, type ResolvedTarget } from './resolve-resource.js';
import { ArmError } from './arm-error.js';

/** Refuses a name the kind does not allow (400 on `name`). */
export function checkName(kind: ResourceKind, name: string): void {
  if (kind.fixedName !== undefined && name.toLowerCase() !== kind.fixedName) {
    throw invalidField('name', `The only supported name is '${kind.fixedName}'.`);
  }
  const unsafe = unsafeNameReason(name);
  if (unsafe) throw invalidField('name', `'${printableName(name)}' is not a valid ${kind.label} identifier: ${unsafe}.`);
  if (kind.namePattern && !kind.namePattern.test(name)) {
    throw invalidField('name', `'${name}' is not a valid ${kind.label} identifier.`);
  }
}

// C0 and C1 control characters and DEL. Azure's name patterns (`^[^*#&+:<>?]+$`) do not list
// them, but a name is also a folder name in an export and a word in log lines and messages,
// where NUL, CR and LF break both (issue 11 finding 10); no real resource name holds one.
const controlCharacter = /[\u0000-\u001f\u007f-\u009f]/;

/** Why a name cannot be any resource's name (whatever its kind's pattern), or undefined. */
export function unsafeNameReason(name: string): string | undefined {
  if (controlCharacter.test(name)) return 'a name cannot contain control characters (U+0000 to U+001F, U+007F to U+009F)';
  // `.` and `..` are path segments, not names: a URL never carries them to ARM, and an export would climb out of its folder.
  if (name === '.' || name === '..') return "a name cannot be '.' or '..'";
  return undefined;
}

/** The name with control characters written as `\uXXXX`, for messages. */
function printableName(name: string): string {
  return name.replace(new RegExp(controlCharacter.source, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Refuses a write whose merged properties lack a required field. */
export function requireFields(kind: ResourceKind, properties: Record<string, unknown>): void {
  const missing = kind.schema.required
    .filter((key) => properties[key] === undefined || properties[key] === null)
    .map((key) => ({ code: 'ValidationError', target: key, message: `'${key}' is required.` }));
  if (missing.length > 0) throw validationError(missing);
}

/** Checks `given` against the kind's schema; returns the cleaned copy or throws 400 ValidationError. */
export function checkProperties(kind: ResourceKind, given: Record<string, unknown>, method: 'PUT' | 'PATCH'): Record<string, unknown> {
  const checked = kind.schema.check(given, method);
  if (checked.problems.length > 0) throw validationError(checked.problems);
  return checked.value;
}

/** What `storeWrite` needs: the target, the validated properties and what is stored now. */
export interface StoreWriteInput {
  ctx: KindContext;
  target: ResolvedTarget;
  /** Validated properties the request carried. */
  given: Record<string, unknown>;
  existing: StoredEntity | undefined;
  method: 'PUT' | 'PATCH';
  prepared?: unknown;
}

/** Merges (PATCH), runs the kind's `prepare`, writes the entity and runs `afterWrite`; returns the stored entity. */
export async function storeWrite({ ctx, target, given, existing, method, prepared }: StoreWriteInput): Promise<StoredEntity> {
  const kind = target.kind;
  const properties = method === 'PATCH' && existing ? { ...existing.body, ...given } : given;
  if (method === 'PATCH') requireFields(kind, properties);
  const input: WriteInput = { ctx, id: target.id, name: target.name, parent: target.parent, properties, given, existing, method, prepared };
  const body = kind.prepare ? await kind.prepare(input) : properties;
  const entity = await ctx.tx.put(
    { kind: kind.kind, id: existing?.id ?? target.id, parent: target.parent, body },
    existing ? { ifMatch: existing.etag } : { ifNoneMatch: '*' },
  );
  await kind.afterWrite?.(entity, input);
  return entity;
}

/**
 * A PUT of `properties` at the ARM path `segments` (below the service) inside the caller's
 * transaction, unconditional like `If-Match: *`: what the folder import does for each file.
 * Kinds that need slow preparation (imports by link) get `prepared` from the caller.
 */
export async function putResource(
  ctx: KindContext,
  segments: readonly string[],
  properties: Record<string, unknown>,
  prepared?: unknown,
): Promise<StoredEntity> {
  const target = await resolveResource(segments, ctx);
  if (target.shape !== 'item') throw new ArmError(405, 'MethodNotAllowed', `'/${segments.join('/')}' is not a resource.`);
  checkName(target.kind, target.name);
  const existing = await ctx.tx.get(target.id);
  const given = checkProperties(target.kind, properties, 'PUT');
  if (existing) {
    const refused = target.kind.readOnlyEntity?.(existing);
    if (refused) throw invalidField('name', refused);
  }
  return storeWrite({ ctx, target, given, existing, method: 'PUT', prepared });
}
