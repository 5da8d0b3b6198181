/**
 * A kind still described in the hand-written schema language (property-schema.ts) seen through
 * the KindSchema interface of spec-validator.ts, so kinds move to Azure's definitions one at a
 * time: the kinds other changes of issue 14 add (gateways, identity providers, authorization
 * servers, OpenID Connect providers, API schemas …) keep working until their schema names
 * Azure's definition in resource-schemas.ts.
 */
import { validateProperties, type FieldSchema, type PropertiesSchema } from './property-schema.js';
import type { KindSchema } from './spec-validator.js';

const wrapped = new WeakMap<PropertiesSchema, KindSchema>();

function pathsOf(fields: Readonly<Record<string, FieldSchema>>, prefix: string, out: string[]): void {
  for (const [key, field] of Object.entries(fields)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    out.push(path);
    const inner = field.type === 'array' ? field.items : field;
    if (inner.type === 'object' && inner.properties) pathsOf(inner.properties, field.type === 'array' ? `${path}[]` : path, out);
  }
}

/** The KindSchema of a kind's schema, whichever language it is written in. */
export function kindSchemaOf(schema: KindSchema | PropertiesSchema): KindSchema {
  if ('check' in schema) return schema;
  let out = wrapped.get(schema);
  if (!out) {
    const paths: string[] = [];
    pathsOf(schema.fields, '', paths);
    out = {
      check: (input, method) => validateProperties(input, schema, { partial: method === 'PATCH' }),
      required: Object.entries(schema.fields).filter(([, f]) => f.required).map(([k]) => k),
      writable: new Set(Object.keys(schema.fields)),
      readOnly: new Set(schema.readOnly ?? []),
      notSupported: {},
      paths: paths.sort(),
    };
    wrapped.set(schema, out);
  }
  return out;
}
