/**
 * An API's operations: method, URL template and name, each edited in place, deleted after a
 * confirmation, and linked to its policy; and a form to add one.
 */
import { useState } from 'preact/hooks';
import { anyVersion, operationPath } from './api-paths.js';
import { ActionOutcome } from './action-outcome.js';
import { DataTable } from './data-table.js';
import { ConfirmButton } from './confirm-button.js';
import { listAll, type ManagementClient } from './management-client.js';
import { OperationForm } from './operation-form.js';
import { ProblemMessage } from './problem-message.js';
import type { OperationResource } from './resources.js';
import { routeHash } from './route.js';
import { useAction } from './use-action.js';
import { useLoaded } from './use-loaded.js';

export function ApiOperations({ client, api }: { client: ManagementClient; api: string }) {
  const operations = useLoaded(() => listAll<OperationResource>(client, `/apis/${encodeURIComponent(api)}/operations`), [client, api]);
  const action = useAction(operations.reload);
  const [editing, setEditing] = useState<string | undefined>(undefined);
  // A new, empty form after each addition (not on every reload: what is being typed stays).
  const [added, setAdded] = useState(0);
  const list = operations.value ?? [];
  const edited = list.find((o) => o.name === editing);

  return (
    <section aria-labelledby="operations-title">
      <h2 id="operations-title">Operations</h2>
      <ActionOutcome action={action} id="operations-problem" />
      <ProblemMessage error={operations.error} />
      {operations.value && list.length === 0 ? <p>The API has no operations yet.</p> : null}
      <DataTable
        headings={['Method', 'URL template', 'Name', 'Description', 'Actions']}
        items={list}
        row={(o) => {
          const title = o.properties.displayName ?? o.name;
          return (
            <tr key={o.name} data-operation={o.name}>
              <td>
                <code>{o.properties.method}</code>
              </td>
              <td>
                <code>{o.properties.urlTemplate}</code>
              </td>
              <th scope="row">
                {title}
                {title !== o.name ? <span class="secondary"> ({o.name})</span> : null}
              </th>
              <td>{o.properties.description ?? ''}</td>
              <td>
                <div class="actions">
                  <button type="button" class="quiet" disabled={action.busy} onClick={() => setEditing(o.name)} aria-label={`Edit ${title}`}>
                    Edit
                  </button>
                  <a href={routeHash({ page: 'policy', api, operation: o.name })}>
                    Policy<span class="visually-hidden"> of {title}</span>
                  </a>
                  <ConfirmButton
                    label="Delete"
                    question={`Delete operation ${title}?`}
                    disabled={action.busy}
                    onConfirm={() => void action.run(() => client.delete(operationPath(api, o.name), anyVersion), `Operation ${o.name} deleted.`)}
                  />
                </div>
              </td>
            </tr>
          );
        }}
      />
      {edited ? (
        <>
          <h3>Edit operation {edited.properties.displayName ?? edited.name}</h3>
          <OperationForm key={edited.name} client={client} api={api} operation={edited} action={action} onDone={() => setEditing(undefined)} />
        </>
      ) : null}
      <h3>Add an operation</h3>
      <OperationForm key={`new-${added}`} client={client} api={api} action={action} onDone={() => setAdded((n) => n + 1)} />
    </section>
  );
}
