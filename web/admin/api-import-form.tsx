/**
 * Imports an API from an OpenAPI document (docs/management-api.md "APIs", Import): a file read
 * in the browser and sent by value (`openapi+json` for JSON, `swagger-json` for Swagger 2.0
 * JSON, `openapi` for YAML), or a link the server downloads (`openapi-link`). The document
 * supplies the operations, the service URL and, unless given, the display name.
 */
import { useRef, useState } from 'preact/hooks';
import { importFormat } from './import-format.js';
import type { ManagementClient } from './management-client.js';
import { TextField } from './form-fields.js';
import type { Action } from './use-action.js';
import { FormButtons } from './form-buttons.js';

/** A file input's first file, read as text. */
async function readChosenFile(input: HTMLInputElement | null): Promise<string> {
  const file = input?.files?.[0];
  if (!file) throw new Error('Choose an OpenAPI file to import.');
  return file.text();
}

export function ApiImportForm({ client, action }: { client: ManagementClient; action: Action }) {
  const [source, setSource] = useState<'file' | 'link'>('file');
  const [link, setLink] = useState('');
  const [id, setId] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [path, setPath] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    const apiId = id.trim();
    await action.run(async () => {
      const properties: Record<string, unknown> = { path: path.trim() };
      if (source === 'link') Object.assign(properties, { format: 'openapi-link', value: link.trim() });
      else {
        const text = await readChosenFile(fileInput.current);
        Object.assign(properties, { format: importFormat(text), value: text });
      }
      if (displayName.trim() !== '') properties.displayName = displayName.trim();
      await client.put(`/apis/${encodeURIComponent(apiId)}`, { properties });
    }, `API ${apiId} imported.`);
  };

  return (
    <form class="resource-form" onSubmit={submit} aria-labelledby="import-title">
      <fieldset>
        <legend>Import from</legend>
        <label class="choice">
          <input type="radio" name="import-source" checked={source === 'file'} onChange={() => setSource('file')} /> an OpenAPI file
        </label>
        <label class="choice">
          <input type="radio" name="import-source" checked={source === 'link'} onChange={() => setSource('link')} /> a link to one
        </label>
      </fieldset>
      {source === 'file' ? (
        <div class="field">
          <label for="import-file">OpenAPI file (JSON or YAML; Swagger 2.0 JSON too)</label>
          <input id="import-file" type="file" accept=".json,.yaml,.yml,application/json,application/yaml" ref={fileInput} required />
        </div>
      ) : (
        <TextField id="import-link" label="Link to the OpenAPI document" value={link} onValue={setLink} required help="The server downloads it (15 s, 8 MiB at most)." />
      )}
      <TextField id="import-id" label="API id" value={id} onValue={setId} required help="The API's name in its ARM path, e.g. petstore." />
      <TextField id="import-display-name" label="Display name" value={displayName} onValue={setDisplayName} help="Empty: the document's title." />
      <TextField id="import-path" label="Path" value={path} onValue={setPath} required help="Where the gateway serves it, e.g. petstore." />
      <FormButtons submit="Import" busy={action.busy} />
    </form>
  );
}
