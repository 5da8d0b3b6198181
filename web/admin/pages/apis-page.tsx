/**
 * The APIs page: every API with its path, revision and protocols (revisions that are not current
 * included, as the management API lists them), each linked to its own page and its policy; and
 * importing a new one from an OpenAPI file or link.
 */
import { listAll, type ManagementClient } from '../management-client.js';
import { ActionStatus } from '../action-status.js';
import { ApiImportForm } from '../api-import-form.js';
import { ColumnHeadings } from '../column-headings.js';
import { PageHeading } from '../page-heading.js';
import { ProblemMessage } from '../problem-message.js';
import type { ApiResource } from '../resources.js';
import { routeHash } from '../route.js';
import { useAction } from '../use-action.js';
import { useLoaded } from '../use-loaded.js';

export function ApisPage({ client }: { client: ManagementClient }) {
  const apis = useLoaded(() => listAll<ApiResource>(client, '/apis'), [client]);
  const action = useAction(apis.reload);
  return (
    <main id="main">
      <PageHeading title="APIs" />
      {apis.loading && !apis.value ? <p role="status">Loading the APIs…</p> : null}
      <ProblemMessage error={apis.error} />
      {apis.value && apis.value.length === 0 ? <p>There are no APIs yet.</p> : null}
      {apis.value && apis.value.length > 0 ? (
        <table>
          <caption>
            {apis.value.length} API{apis.value.length === 1 ? '' : 's'}
          </caption>
          <ColumnHeadings names={['Name', 'Path', 'Revision', 'Version', 'Protocols', 'Policy']} />
          <tbody>
            {apis.value.map((api) => {
              const p = api.properties;
              const title = p.displayName ?? api.name;
              const revision = p.isCurrent === false ? `, revision ${p.apiRevision}` : '';
              return (
                <tr key={api.name}>
                  <th scope="row">
                    <a href={routeHash({ page: 'api', api: api.name })}>
                      {title}
                      <span class="visually-hidden">{revision}</span>
                    </a>
                    {title !== api.name ? <span class="secondary"> ({api.name})</span> : null}
                  </th>
                  <td>
                    <code>/{p.path ?? ''}</code>
                  </td>
                  <td>
                    {p.apiRevision ?? '1'}
                    {p.isCurrent === false ? ' (not current)' : ''}
                  </td>
                  <td>{p.apiVersion ?? ''}</td>
                  <td>{(p.protocols ?? []).join(', ')}</td>
                  <td>
                    <a href={routeHash({ page: 'policy', api: api.name })}>
                      Edit policy<span class="visually-hidden"> of {title}{revision}</span>
                    </a>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      <section aria-labelledby="import-title">
        <h2 id="import-title">Import an API</h2>
        <ActionStatus action={action} id="import-problem" />
        <ApiImportForm client={client} action={action} />
      </section>
    </main>
  );
}
