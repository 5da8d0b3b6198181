/** A body's representation: its content type as a heading, its examples and its schema, pretty-printed. */
import type { ApiSchema, RepresentationContract } from './catalogue-resources.js';
import { prettyValue } from './pretty-json.js';
import { schemaText } from './schema-text.js';

export function RepresentationView({ representation, schemas, level }: { representation: RepresentationContract; schemas: readonly ApiSchema[]; level: 3 | 4 | 5 }) {
  const Heading = `h${level}` as 'h4';
  const schema = schemaText(representation, schemas);
  const examples = Object.entries(representation.examples ?? {});
  return (
    <section class="representation">
      <Heading>
        <code>{representation.contentType}</code>
      </Heading>
      {examples.map(([name, example]) => (
        <div key={name}>
          <p>
            Example <q>{name}</q>
            {example.summary ? `: ${example.summary}` : ''}
            {example.description ? ` (${example.description})` : ''}
          </p>
          {example.value !== undefined ? (
            <pre tabIndex={0} aria-label={`Example ${name}`}>
              <code>{prettyValue(example.value)}</code>
            </pre>
          ) : example.externalValue ? (
            <p>
              At <code>{example.externalValue}</code>
            </p>
          ) : null}
        </div>
      ))}
      {schema ? (
        <>
          <p>Schema{schema.source === 'inline' ? '' : `: ${schema.source}`}</p>
          <pre tabIndex={0} aria-label={`Schema of ${representation.contentType}`}>
            <code>{schema.text}</code>
          </pre>
        </>
      ) : representation.schemaId ? (
        <p>
          Schema <code>{representation.typeName ?? ''}</code> in <code>{representation.schemaId}</code> (not found in this API’s schemas)
        </p>
      ) : null}
    </section>
  );
}
