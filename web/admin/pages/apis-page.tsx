/**
 * The APIs page: every API with its path, revision and protocols (revisions that are not current
 * included, as the management API lists them), each linked to its policy.
 */
import { listAll, type ManagementClient } from '../management-client.js';
import { ColumnHeadings } from '../column-headings.js';
import { PageHeading } from '../page-heading.js';
import { ProblemMessage } from '../problem-message.js';
import { routeHash } from '../route.js';
import { useLoaded } from '../use-loaded.js';

interface ApiResource {
  name: string;
  properties: { displayName?: string; path?: string; apiRevision?: string; isCurrent?: boolean; protocols?: string[]; type?: string };
}

export function ApisPage({ client }: { client: ManagementClient }) {
  const apis = useLoaded(() => listAll<ApiResource>(client, '/apis'), [client]);
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
          <ColumnHeadings names={['Name', 'Path', 'Revision', 'Protocols', 'Policy']} />
          <tbody>
            {apis.value.map((api) => {
              const p = api.properties;
              const title = p.displayName ?? api.name;
              return (
                <tr key={api.name}>
                  <th scope="row">
                    {title}
                    {title !== api.name ? <span class="secondary"> ({api.name})</span> : null}
                  </th>
                  <td>
                    <code>/{p.path ?? ''}</code>
                  </td>
                  <td>
                    {p.apiRevision ?? '1'}
                    {p.isCurrent === false ? ' (not current)' : ''}
                  </td>
                  <td>{(p.protocols ?? []).join(', ')}</td>
                  <td>
                    <a href={routeHash({ page: 'policy', api: api.name })}>
                      Edit policy<span class="visually-hidden"> of {title}{p.isCurrent === false ? `, revision ${p.apiRevision}` : ''}</span>
                    </a>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </main>
  );
}
