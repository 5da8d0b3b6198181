/**
 * The network page (docs/networking.md): the service's public-network-access switch and its
 * private endpoint connections, each approved or rejected with ARM's PUT of its
 * privateLinkServiceConnectionState. What the server refuses (public access off without an
 * approved connection, approving a rejected connection) is shown in its words.
 */
import { ActionStatus } from '../action-status.js';
import { listAll, type ManagementClient } from '../management-client.js';
import { ColumnHeadings } from '../column-headings.js';
import { PageHeading } from '../page-heading.js';
import { ProblemMessage } from '../problem-message.js';
import { useAction } from '../use-action.js';
import { useLoaded } from '../use-loaded.js';

interface ServiceResource {
  properties: { publicNetworkAccess?: string };
}

interface ConnectionResource {
  name: string;
  properties: {
    provisioningState?: string;
    privateEndpoint?: { id?: string };
    privateLinkServiceConnectionState?: { status?: string; description?: string };
  };
}

type Decision = 'Approved' | 'Rejected';

/** The last segment of an ARM id, for a readable private endpoint name. */
function lastSegment(id: string | undefined): string {
  return id ? id.slice(id.lastIndexOf('/') + 1) : '';
}

export function NetworkPage({ client }: { client: ManagementClient }) {
  const service = useLoaded(() => client.get<ServiceResource>(''), [client]);
  const connections = useLoaded(() => listAll<ConnectionResource>(client, '/privateEndpointConnections'), [client]);
  const action = useAction(() => {
    service.reload();
    connections.reload();
  });
  const busy = action.busy;
  const act = (work: () => Promise<unknown>, done: string) => void action.run(work, done);

  const publicEnabled = (service.value?.properties.publicNetworkAccess ?? 'Enabled').toLowerCase() !== 'disabled';
  const togglePublic = () =>
    act(
      () => client.patch('', { properties: { publicNetworkAccess: publicEnabled ? 'Disabled' : 'Enabled' } }, { 'if-match': '*' }),
      `Public network access is now ${publicEnabled ? 'off' : 'on'}.`,
    );
  const decide = (connection: ConnectionResource, status: Decision) =>
    act(
      () =>
        client.put(`/privateEndpointConnections/${encodeURIComponent(connection.name)}`, {
          properties: { privateLinkServiceConnectionState: { status, description: `${status} in the admin console.` } },
        }),
      `Connection ${connection.name} ${status.toLowerCase()}.`,
    );

  return (
    <main id="main">
      <PageHeading title="Network" />
      <ActionStatus action={action} id="network-problem" />

      <section aria-labelledby="public-access-title">
        <h2 id="public-access-title">Public network access</h2>
        <ProblemMessage error={service.error} />
        {service.value ? (
          <div class="switch-row">
            <button type="button" role="switch" aria-checked={publicEnabled} aria-describedby="public-access-help" class="switch" disabled={busy} onClick={togglePublic}>
              <span class="switch-track" aria-hidden="true">
                <span class="switch-thumb" />
              </span>
              <span>Public network access: {publicEnabled ? 'on' : 'off'}</span>
            </button>
            <p id="public-access-help" class="secondary">
              Off, the public endpoint answers 403 and only approved private endpoints are served. As in Azure, it can be turned off only while a
              private endpoint connection is approved.
            </p>
          </div>
        ) : null}
      </section>

      <section aria-labelledby="connections-title">
        <h2 id="connections-title">Private endpoint connections</h2>
        <ProblemMessage error={connections.error} />
        {connections.value && connections.value.length === 0 ? (
          <p>No private endpoint targets the service. A private endpoint (Microsoft.Network) creates its connection here.</p>
        ) : null}
        {connections.value && connections.value.length > 0 ? (
          <table>
            <ColumnHeadings names={['Connection', 'Private endpoint', 'Status', 'Description', 'Provisioning', 'Actions']} />
            <tbody>
              {connections.value.map((c) => {
                const state = c.properties.privateLinkServiceConnectionState ?? {};
                return (
                  <tr key={c.name} data-connection={c.name}>
                    <th scope="row">{c.name}</th>
                    <td>{lastSegment(c.properties.privateEndpoint?.id)}</td>
                    <td class={`status status-${(state.status ?? '').toLowerCase()}`}>{state.status ?? ''}</td>
                    <td>{state.description ?? ''}</td>
                    <td>{c.properties.provisioningState ?? ''}</td>
                    <td>
                      <div class="actions">
                        <button type="button" disabled={busy || state.status === 'Approved' || state.status === 'Rejected' || state.status === 'Disconnected'} aria-label={`Approve ${c.name}`} onClick={() => decide(c, 'Approved')}>
                          Approve
                        </button>
                        <button type="button" class="danger" disabled={busy || state.status === 'Rejected' || state.status === 'Disconnected'} aria-label={`Reject ${c.name}`} onClick={() => decide(c, 'Rejected')}>
                          Reject
                        </button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : null}
      </section>
    </main>
  );
}
