/**
 * An API's revisions (docs/management-api.md "APIs"): each with its number, whether it is
 * current and its description; a new revision made from the current one (`PUT
 * /apis/{id};rev=N` with `sourceApiId`), and one made current by a release (`PUT
 * /apis/{id}/releases/{release}` with the revision's `apiId`), as in Azure.
 */
import { useState } from 'preact/hooks';
import { apiPath, apiReference } from './api-paths.js';
import { ResourceTable } from './resource-table.js';
import { PageSection } from './page-section.js';
import { listAll, type ManagementClient } from './management-client.js';
import type { RevisionResource } from './resources.js';
import { routeHash } from './route.js';
import { TextField } from './form-fields.js';
import { useAction } from './use-action.js';
import { useLoaded } from './use-loaded.js';
import { FormButtons } from './form-buttons.js';

/** A release name for making `revision` current, new each time (a release is a record). */
function releaseName(revision: string): string {
  return `rev-${revision}-${Date.now().toString(36)}`;
}

export function ApiRevisions({ client, api, onChanged }: { client: ManagementClient; api: string; onChanged: () => void }) {
  const revisions = useLoaded(() => listAll<RevisionResource>(client, `${apiPath(api)}/revisions`), [client, api]);
  const action = useAction(() => {
    revisions.reload();
    onChanged();
  });
  const [description, setDescription] = useState('');
  const list = [...(revisions.value ?? [])].sort((a, b) => Number(a.apiRevision) - Number(b.apiRevision));
  const next = list.reduce((max, r) => Math.max(max, Number(r.apiRevision) || 0), 0) + 1;

  const create = (event: Event) => {
    event.preventDefault();
    const properties: Record<string, unknown> = { sourceApiId: apiReference(api) };
    if (description.trim() !== '') properties.apiRevisionDescription = description.trim();
    void action.run(() => client.put(apiPath(`${api};rev=${next}`), { properties }), `Revision ${next} created from the current one.`).then((ok) => ok && setDescription(''));
  };
  const makeCurrent = (revision: string) =>
    void action.run(
      () => client.put(`${apiPath(api)}/releases/${releaseName(revision)}`, { properties: { apiId: apiReference(`${api};rev=${revision}`), notes: 'Released in the admin console.' } }),
      `Revision ${revision} is now current.`,
    );

  return (
    <PageSection id="revisions" title="Revisions" action={action} loadError={revisions.error}>
      <ResourceTable
        noun="revision"
        empty="The API has no revisions."
        headings={['Revision', 'Current', 'Description', 'Created', 'Actions']}
        items={revisions.value ? list : undefined}
        row={(r) => {
          const revision = r.apiRevision ?? '';
          const current = r.isCurrent === true;
          return (
            <tr key={revision} data-revision={revision}>
              <th scope="row">
                <a href={routeHash({ page: 'api', api: current ? api : `${api};rev=${revision}` })}>
                  Revision {revision}
                </a>
              </th>
              <td>{current ? 'current' : ''}</td>
              <td>{r.description ?? ''}</td>
              <td>{r.createdDateTime ? new Date(r.createdDateTime).toLocaleString() : ''}</td>
              <td>
                {current ? null : (
                  <button type="button" disabled={action.busy} onClick={() => makeCurrent(revision)}>
                    Make revision {revision} current
                  </button>
                )}
              </td>
            </tr>
          );
        }}
      />
      <form class="resource-form" onSubmit={create} aria-label="Create a revision">
        <TextField id="revision-description" label={`Description of revision ${next}`} value={description} onValue={setDescription} help="The new revision starts as a copy of the current one: settings, operations and policies." />
        <FormButtons submit={`Create revision ${next}`} busy={action.busy || revisions.value === undefined} />
      </form>
    </PageSection>
  );
}
