/**
 * An API's operations: method, URL template and name, each edited in place, deleted after a
 * confirmation, and linked to its policy; and a form to add one.
 */
import { useState } from 'preact/hooks';
import { operationPath } from './api-paths.js';
import { ResourceTable } from './resource-table.js';
import { ConfirmButton } from './confirm-button.js';
import { PageSection } from './page-section.js';
import { listAll, type ManagementClient } from './management-client.js';
import { OperationForm } from './operation-form.js';
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
    <PageSection id="operations" title="Operations" action={action} loadError={operations.error}>
      <ResourceTable
        noun="operation"
        empty="The API has no operations yet."
        headings={['Method', 'URL template', 'Name', 'Description', 'Actions']}
        items={operations.value}
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
                  <button type="button" class="secondary-button" disabled={action.busy} onClick={() => setEditing(o.name)} aria-label={`Edit ${title}`}>
                    Edit
                  </button>
                  <a href={routeHash({ page: 'policy', api, operation: o.name })}>
                    Policy<span class="visually-hidden"> of {title}</span>
                  </a>
                  <ConfirmButton
                    label="Delete"
                    name={`Delete ${title}`}
                    question={`Delete operation ${title}?`}
                    confirmLabel="Delete"
                    disabled={action.busy}
                    onConfirm={() => void action.run(() => client.delete(operationPath(api, o.name)), `Operation ${o.name} deleted.`)}
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
    </PageSection>
  );
}
