/**
 * Adds an operation to an API (PUT) or edits one (PATCH): display name, method, URL template
 * and description; a new one also takes its id. The server checks the template and refuses a
 * second operation with the same method and template.
 */
import { useState } from 'preact/hooks';
import { anyVersion, operationPath } from './api-paths.js';
import type { ManagementClient } from './management-client.js';
import type { OperationResource } from './resources.js';
import { TextField, SelectField } from './form-fields.js';
import type { Action } from './use-action.js';
import { FormButtons } from './form-buttons.js';

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE'];

export function OperationForm({ client, api, operation, action, onDone }: { client: ManagementClient; api: string; operation?: OperationResource; action: Action; onDone: () => void }) {
  const p = operation?.properties ?? {};
  const prefix = operation ? 'edit-operation' : 'new-operation';
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState(p.displayName ?? '');
  const [method, setMethod] = useState((p.method ?? 'GET').toUpperCase());
  const [urlTemplate, setUrlTemplate] = useState(p.urlTemplate ?? '/');
  const [description, setDescription] = useState(p.description ?? '');

  const submit = async (event: Event) => {
    event.preventDefault();
    const properties = { displayName: displayName.trim(), method, urlTemplate: urlTemplate.trim(), description };
    const ok = operation
      ? await action.run(() => client.patch(operationPath(api, operation.name), { properties }, anyVersion), `Operation ${operation.name} saved.`)
      : await action.run(() => client.put(operationPath(api, name.trim()), { properties }), `Operation ${name.trim()} added.`);
    if (ok) onDone();
  };

  return (
    <form class="resource-form" onSubmit={submit} aria-label={operation ? `Edit operation ${operation.name}` : 'Add an operation'}>
      {operation ? null : <TextField id={`${prefix}-name`} label="Operation id" value={name} onValue={setName} required />}
      <TextField id={`${prefix}-display-name`} label="Display name" value={displayName} onValue={setDisplayName} required />
      <SelectField id={`${prefix}-method`} label="Method" value={method} onValue={setMethod} choices={methods.map((m) => ({ value: m, label: m }))} />
      <TextField id={`${prefix}-url-template`} label="URL template" value={urlTemplate} onValue={setUrlTemplate} required help="Starts with /, e.g. /orders/{id}." />
      <TextField id={`${prefix}-description`} label="Description" value={description} onValue={setDescription} multiline />
      <FormButtons submit={operation ? 'Save operation' : 'Add operation'} busy={action.busy} onCancel={operation ? onDone : undefined} />
    </form>
  );
}
