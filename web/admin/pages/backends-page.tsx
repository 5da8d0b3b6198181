/**
 * The backends page: every backend with its URL, protocol, description and circuit-breaker
 * rule, and each breaker's state as the running gateway sees it (from `/metrics`, read again
 * every 5 seconds); backends created and their URL and description edited.
 */
import { useState } from 'preact/hooks';
import { ActionStatus } from '../action-status.js';
import { BackendForm } from '../backend-form.js';
import { circuitStates } from '../circuit-states.js';
import { CircuitStateCell, ruleSummary } from '../circuit-state-cell.js';
import { ResourceTable } from '../resource-table.js';
import { listAll, type ManagementClient } from '../management-client.js';
import { MetricsOffNotice } from '../metrics-off-notice.js';
import { PageHeading } from '../page-heading.js';
import { ProblemMessage } from '../problem-message.js';
import type { BackendResource } from '../resources.js';
import { useAction } from '../use-action.js';
import { useGatewayMetrics } from '../use-gateway-metrics.js';
import { useLoaded } from '../use-loaded.js';

export function BackendsPage({ client }: { client: ManagementClient }) {
  const backends = useLoaded(() => listAll<BackendResource>(client, '/backends'), [client]);
  const metrics = useGatewayMetrics(5_000);
  const action = useAction(backends.reload);
  const [editing, setEditing] = useState<string | undefined>(undefined);
  // A new, empty form after each addition (not on every reload: what is being typed stays).
  const [added, setAdded] = useState(0);
  const list = backends.value ?? [];
  const edited = list.find((b) => b.name === editing);
  const reading = metrics.value;
  const states = reading && !reading.off ? circuitStates(reading.samples) : undefined;

  return (
    <main id="main">
      <PageHeading title="Backends" />
      <ActionStatus action={action} id="backends-problem" />
      <ProblemMessage error={backends.error} />
      <ProblemMessage error={metrics.error} />
      {reading?.off ? <MetricsOffNotice what="the circuit breakers' state" /> : null}
      <p class="secondary">
        Circuit-breaker state as the gateway sees it{reading && !reading.off ? `, read at ${reading.at.toLocaleTimeString()}` : ''}.{' '}
        <button
          type="button"
          class="secondary-button"
          onClick={() => {
            backends.reload();
            metrics.reload();
          }}
        >
          Refresh
        </button>
      </p>
      <ResourceTable
        noun="backend"
        empty="There are no backends yet."
        headings={['Backend', 'URL', 'Protocol', 'Description', 'Circuit breaker', 'State', 'Actions']}
        items={backends.value}
        row={(b) => {
          const rules = b.properties.circuitBreaker?.rules ?? [];
          return (
            <tr key={b.name} data-backend={b.name}>
              <th scope="row">{b.name}</th>
              <td>
                <code>{b.properties.url ?? (b.properties.type === 'Pool' ? '(pool)' : '')}</code>
              </td>
              <td>{b.properties.protocol ?? ''}</td>
              <td>{b.properties.description ?? ''}</td>
              <td>{rules.length === 0 ? 'none' : rules.map(ruleSummary).join('; ')}</td>
              <td>
                <CircuitStateCell rules={rules} states={states?.get(b.name.toLowerCase())} metricsOff={reading?.off === true} />
              </td>
              <td>
                {b.properties.type === 'Pool' ? null : (
                  <button type="button" class="secondary-button" disabled={action.busy} onClick={() => setEditing(b.name)} aria-label={`Edit ${b.name}`}>
                    Edit
                  </button>
                )}
              </td>
            </tr>
          );
        }}
      />
      {edited ? (
        <section aria-labelledby="edit-backend-title">
          <h2 id="edit-backend-title">Edit backend {edited.name}</h2>
          <BackendForm key={edited.name} client={client} backend={edited} action={action} onDone={() => setEditing(undefined)} />
        </section>
      ) : null}
      <section aria-labelledby="new-backend-title">
        <h2 id="new-backend-title">Create a backend</h2>
        <BackendForm key={`new-${added}`} client={client} action={action} onDone={() => setAdded((n) => n + 1)} />
      </section>
    </main>
  );
}
