/**
 * An API's settings (docs/management-api.md "APIs"): display name, description, path, service
 * URL, protocols, whether a subscription is required and the names of the subscription key's
 * header and query parameter. Save is a PATCH of exactly these; a revision that is not current
 * can't change the properties revisions share, and the server's refusal says so.
 */
import { useState } from 'preact/hooks';
import { anyVersion, apiPath } from './api-paths.js';
import type { ManagementClient } from './management-client.js';
import type { ApiResource } from './resources.js';
import { TextField } from './form-fields.js';
import type { Action } from './use-action.js';
import { FormButtons } from './form-buttons.js';

const protocolChoices = ['http', 'https', 'ws', 'wss'];

export function ApiSettingsForm({ client, api, action }: { client: ManagementClient; api: ApiResource; action: Action }) {
  const p = api.properties;
  const [displayName, setDisplayName] = useState(p.displayName ?? '');
  const [description, setDescription] = useState(p.description ?? '');
  const [path, setPath] = useState(p.path ?? '');
  const [serviceUrl, setServiceUrl] = useState(p.serviceUrl ?? '');
  const [protocols, setProtocols] = useState<string[]>(p.protocols ?? []);
  const [subscriptionRequired, setSubscriptionRequired] = useState(p.subscriptionRequired !== false);
  const [header, setHeader] = useState(p.subscriptionKeyParameterNames?.header ?? '');
  const [query, setQuery] = useState(p.subscriptionKeyParameterNames?.query ?? '');

  const toggle = (protocol: string, on: boolean) => setProtocols((now) => (on ? [...now.filter((x) => x !== protocol), protocol] : now.filter((x) => x !== protocol)));
  const save = (event: Event) => {
    event.preventDefault();
    void action.run(
      () =>
        client.patch(
          apiPath(api.name),
          {
            properties: {
              displayName: displayName.trim(),
              description,
              path: path.trim(),
              serviceUrl: serviceUrl.trim() === '' ? null : serviceUrl.trim(),
              protocols: protocolChoices.filter((x) => protocols.includes(x)),
              subscriptionRequired,
              subscriptionKeyParameterNames: { header: header.trim(), query: query.trim() },
            },
          },
          anyVersion,
        ),
      'Settings saved.',
    );
  };

  return (
    <form class="resource-form" onSubmit={save} aria-labelledby="settings-title">
      <TextField id="api-display-name" label="Display name" value={displayName} onValue={setDisplayName} required />
      <TextField id="api-description" label="Description" value={description} onValue={setDescription} multiline />
      <TextField id="api-path" label="Path" value={path} onValue={setPath} required help="Where the gateway serves the API, after its address." />
      <TextField id="api-service-url" label="Service URL" value={serviceUrl} onValue={setServiceUrl} help="The backend the gateway forwards to; empty: none (a policy picks it)." />
      <fieldset>
        <legend>Protocols</legend>
        {protocolChoices.map((protocol) => (
          <label class="choice" key={protocol}>
            <input type="checkbox" checked={protocols.includes(protocol)} onChange={(e) => toggle(protocol, (e.currentTarget as HTMLInputElement).checked)} /> {protocol}
          </label>
        ))}
      </fieldset>
      <label class="choice">
        <input type="checkbox" checked={subscriptionRequired} onChange={(e) => setSubscriptionRequired((e.currentTarget as HTMLInputElement).checked)} /> Subscription required
      </label>
      <TextField id="api-key-header" label="Subscription key header" value={header} onValue={setHeader} />
      <TextField id="api-key-query" label="Subscription key query parameter" value={query} onValue={setQuery} />
      <FormButtons submit="Save settings" busy={action.busy} />
    </form>
  );
}
