/**
 * The version sets page (docs/management-api.md): every set with its scheme and the name callers
 * give the version in (Query: the query parameter, Header: the header; Segment: the path
 * segment after the API's path), and a form creating one.
 */
import { useState } from 'preact/hooks';
import { ActionStatus } from '../action-status.js';
import { ColumnHeadings } from '../column-headings.js';
import { listAll, type ManagementClient } from '../management-client.js';
import { PageHeading } from '../page-heading.js';
import { ProblemMessage } from '../problem-message.js';
import type { VersionSetResource } from '../resources.js';
import { SelectField, TextField } from '../form-fields.js';
import { useAction } from '../use-action.js';
import { useLoaded } from '../use-loaded.js';
import { FormButtons } from '../form-buttons.js';

type Scheme = 'Segment' | 'Query' | 'Header';

/** Where a set's callers put the version. */
function versionPlace(set: VersionSetResource): string {
  const p = set.properties;
  if (p.versioningScheme === 'Query') return `query parameter ${p.versionQueryName ?? ''}`;
  if (p.versioningScheme === 'Header') return `header ${p.versionHeaderName ?? ''}`;
  return 'path segment';
}

export function VersionSetsPage({ client }: { client: ManagementClient }) {
  const sets = useLoaded(() => listAll<VersionSetResource>(client, '/apiVersionSets'), [client]);
  const action = useAction(sets.reload);
  const [id, setId] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [scheme, setScheme] = useState<Scheme>('Segment');
  const [parameter, setParameter] = useState('');

  const create = (event: Event) => {
    event.preventDefault();
    const properties: Record<string, unknown> = { displayName: displayName.trim(), versioningScheme: scheme };
    if (scheme === 'Query') properties.versionQueryName = parameter.trim();
    if (scheme === 'Header') properties.versionHeaderName = parameter.trim();
    void action.run(() => client.put(`/apiVersionSets/${encodeURIComponent(id.trim())}`, { properties }), `Version set ${id.trim()} created.`);
  };

  return (
    <main id="main">
      <PageHeading title="Version sets" />
      <ProblemMessage error={sets.error} />
      {sets.value && sets.value.length === 0 ? <p>There are no version sets yet.</p> : null}
      {sets.value && sets.value.length > 0 ? (
        <table>
          <ColumnHeadings names={['Name', 'Scheme', 'Version given in', 'Description']} />
          <tbody>
            {sets.value.map((s) => (
              <tr key={s.name}>
                <th scope="row">
                  {s.properties.displayName ?? s.name}
                  {s.properties.displayName && s.properties.displayName !== s.name ? <span class="secondary"> ({s.name})</span> : null}
                </th>
                <td>{s.properties.versioningScheme}</td>
                <td>{versionPlace(s)}</td>
                <td>{s.properties.description ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <section aria-labelledby="new-set-title">
        <h2 id="new-set-title">Create a version set</h2>
        <ActionStatus action={action} id="version-set-problem" />
        <form class="resource-form" onSubmit={create} aria-labelledby="new-set-title">
          <TextField id="set-id" label="Id" value={id} onValue={setId} required />
          <TextField id="set-display-name" label="Display name" value={displayName} onValue={setDisplayName} required />
          <SelectField
            id="set-scheme"
            label="Scheme"
            value={scheme}
            onValue={(v) => setScheme(v as Scheme)}
            choices={[
              { value: 'Segment', label: 'Segment (path)' },
              { value: 'Query', label: 'Query parameter' },
              { value: 'Header', label: 'Header' },
            ]}
          />
          {scheme === 'Segment' ? null : (
            <TextField id="set-parameter" label={scheme === 'Query' ? 'Query parameter name' : 'Header name'} value={parameter} onValue={setParameter} required />
          )}
          <FormButtons submit="Create version set" busy={action.busy} />
        </form>
      </section>
    </main>
  );
}
