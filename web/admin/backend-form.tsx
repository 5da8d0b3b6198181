/**
 * Creates a backend (PUT: id, URL, protocol, description) or edits one (PATCH of its URL and
 * description). The circuit breaker's rule is kept as it is; docs/backends.md describes it.
 */
import { useState } from 'preact/hooks';
import { anyVersion } from './api-paths.js';
import type { ManagementClient } from './management-client.js';
import type { BackendResource } from './resources.js';
import { TextField, SelectField } from './form-fields.js';
import type { Action } from './use-action.js';
import { FormButtons } from './form-buttons.js';

export function backendPath(name: string): string {
  return `/backends/${encodeURIComponent(name)}`;
}

export function BackendForm({ client, backend, action, onDone }: { client: ManagementClient; backend?: BackendResource; action: Action; onDone: () => void }) {
  const prefix = backend ? 'edit-backend' : 'new-backend';
  const [name, setName] = useState('');
  const [url, setUrl] = useState(backend?.properties.url ?? '');
  const [protocol, setProtocol] = useState(backend?.properties.protocol ?? 'http');
  const [description, setDescription] = useState(backend?.properties.description ?? '');

  const submit = async (event: Event) => {
    event.preventDefault();
    const ok = backend
      ? await action.run(() => client.patch(backendPath(backend.name), { properties: { url: url.trim(), description } }, anyVersion), `Backend ${backend.name} saved.`)
      : await action.run(() => client.put(backendPath(name.trim()), { properties: { url: url.trim(), protocol, description } }), `Backend ${name.trim()} created.`);
    if (ok) onDone();
  };

  return (
    <form class="resource-form" onSubmit={submit} aria-label={backend ? `Edit backend ${backend.name}` : 'Create a backend'}>
      {backend ? null : <TextField id={`${prefix}-name`} label="Backend id" value={name} onValue={setName} required />}
      <TextField id={`${prefix}-url`} label="URL" value={url} onValue={setUrl} required />
      {backend ? null : <SelectField id={`${prefix}-protocol`} label="Protocol" value={protocol} onValue={setProtocol} choices={[{ value: 'http', label: 'http' }, { value: 'soap', label: 'soap' }]} />}
      <TextField id={`${prefix}-description`} label="Description" value={description} onValue={setDescription} multiline />
      <FormButtons submit={backend ? 'Save backend' : 'Create backend'} busy={action.busy} onCancel={backend ? onDone : undefined} />
    </form>
  );
}
