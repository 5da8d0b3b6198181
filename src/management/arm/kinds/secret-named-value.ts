/**
 * How Azure keeps a secret of a configuration record that is not itself a secret field (a
 * logger's credentials, a cache's connection string): a value given in clear text is moved into
 * a new secret named value and the record holds `{{that name}}`, so no GET ever shows it; a
 * value that is already one `{{named value}}` reference stays, and must name an existing one.
 */
import { randomBytes } from 'node:crypto';
import { invalidField } from '../arm-error.js';
import type { KindContext } from '../resource-kind.js';
import { namedValueReferences } from '../../../pipeline/named-values.js';

/** The reference the record keeps for `value`; `target` names the field in a 400, `prefix` the named value made. */
export async function secretNamedValueReference(ctx: KindContext, target: string, prefix: string, value: string): Promise<string> {
  const refs = namedValueReferences(value);
  if (refs.length === 1 && value.trim() === `{{${refs[0]}}}`) {
    // A reference names a named value by its display name, as policies do.
    const wanted = refs[0]!.toLowerCase();
    const found = (await ctx.tx.list({ kind: 'namedValue' })).items.some((nv) => String(nv.body.displayName ?? '').toLowerCase() === wanted);
    if (!found) throw invalidField(target, `Cannot find a named value with name '${refs[0]}'.`);
    return value;
  }
  const name = `${prefix}-${randomBytes(12).toString('hex')}`;
  await ctx.tx.put({ kind: 'namedValue', id: `namedValues/${name}`, parent: '', body: { displayName: name, value: ctx.sealer.seal(value), secret: true, tags: [] } }, { ifNoneMatch: '*' });
  return `{{${name}}}`;
}
