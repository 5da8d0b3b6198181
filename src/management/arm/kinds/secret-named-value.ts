/**
 * How Azure keeps a secret of a configuration record that is not itself a secret field (a
 * logger's credentials, a cache's connection string): a value given in clear text is moved into
 * a secret named value and the record holds `{{that name}}`, so no GET ever shows it; a value
 * that is already one `{{named value}}` reference stays, and must name an existing one. A record
 * written again (a PUT, a re-import) updates the named value it made before instead of making
 * another, so none pile up.
 */
import { randomBytes } from 'node:crypto';
import type { StoredEntity } from '../../../core/entity-store.js';
import { invalidField } from '../arm-error.js';
import type { KindContext } from '../resource-kind.js';
import { namedValueReferences } from '../../../pipeline/named-values.js';

/** The named value `value` names when it is exactly one `{{reference}}`, else undefined. */
export function singleNamedValueReference(value: string): string | undefined {
  const refs = namedValueReferences(value);
  return refs.length === 1 && value.trim() === `{{${refs[0]}}}` ? refs[0] : undefined;
}

/**
 * The reference the record keeps for `value`; `target` names the field in a 400, `prefix` the
 * named values made (`<prefix>-<random>`), `previous` the field's stored value, if any.
 */
export async function secretNamedValueReference(ctx: KindContext, target: string, prefix: string, value: string, previous?: unknown): Promise<string> {
  const ref = singleNamedValueReference(value);
  if (ref !== undefined) {
    // A reference names a named value by its display name, as policies do.
    const wanted = ref.toLowerCase();
    const found = (await ctx.tx.list({ kind: 'namedValue' })).items.some((nv) => String(nv.body.displayName ?? '').toLowerCase() === wanted);
    if (!found) throw invalidField(target, `Cannot find a named value with name '${ref}'.`);
    return value;
  }
  const reused = typeof previous === 'string' ? await madeNamedValue(ctx, prefix, previous) : undefined;
  if (reused) {
    await ctx.tx.put({ kind: 'namedValue', id: reused.id, parent: '', body: { ...reused.body, value: ctx.sealer.seal(value) } });
    return `{{${String(reused.body.displayName)}}}`;
  }
  const name = `${prefix}-${randomBytes(12).toString('hex')}`;
  await ctx.tx.put({ kind: 'namedValue', id: `namedValues/${name}`, parent: '', body: { displayName: name, value: ctx.sealer.seal(value), secret: true, tags: [] } }, { ifNoneMatch: '*' });
  return `{{${name}}}`;
}

/** The stored secret named value with `prefix` that a stored field value (`previous`) names, if this code made it. */
async function madeNamedValue(ctx: KindContext, prefix: string, previous: string): Promise<StoredEntity | undefined> {
  const ref = singleNamedValueReference(previous);
  if (ref === undefined || !ref.startsWith(`${prefix}-`)) return undefined;
  const stored = await ctx.tx.get(`namedValues/${ref}`);
  return stored && stored.body.displayName === ref && stored.body.secret === true && stored.body.keyVault === undefined ? stored : undefined;
}
