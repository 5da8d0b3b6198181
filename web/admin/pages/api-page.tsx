/**
 * One API's page: its settings (saved with PATCH, or the API deleted after a confirmation), its
 * operations, its revisions and its versions. A revision that is not current opens here too
 * (`#/apis/<name>;rev=N`), with its own operations.
 */
import { apiPath, baseApiName } from '../api-paths.js';
import { ActionStatus } from '../action-status.js';
import { ApiOperations } from '../api-operations.js';
import { ApiRevisions } from '../api-revisions.js';
import { ApiSettingsForm } from '../api-settings-form.js';
import { ApiVersions } from '../api-versions.js';
import { ConfirmButton } from '../confirm-button.js';
import type { ManagementClient } from '../management-client.js';
import { PageHeading } from '../page-heading.js';
import { ProblemMessage } from '../problem-message.js';
import type { ApiResource } from '../resources.js';
import { routeHash } from '../route.js';
import { useAction } from '../use-action.js';
import { useLoaded } from '../use-loaded.js';

export function ApiPage({ client, api }: { client: ManagementClient; api: string }) {
  const loaded = useLoaded(() => client.get<ApiResource>(apiPath(api)), [client, api]);
  const action = useAction(loaded.reload);
  const resource = loaded.value;
  const title = resource ? `API ${resource.properties.displayName ?? api}${resource.properties.isCurrent === false ? `, revision ${resource.properties.apiRevision}` : ''}` : `API ${api}`;

  const remove = async () => {
    const ok = await action.run(() => client.delete(apiPath(api)), `API ${api} deleted.`);
    if (ok) location.hash = routeHash({ page: 'apis' });
  };

  return (
    <main id="main">
      <PageHeading title={title} />
      <p>
        <a href={routeHash({ page: 'apis' })}>All APIs</a> · <a href={routeHash({ page: 'policy', api })}>Policy of this API</a>
      </p>
      {loaded.loading && !resource ? <p role="status">Loading the API…</p> : null}
      <ProblemMessage error={loaded.error} />
      {resource ? (
        <>
          <section aria-labelledby="settings-title">
            <h2 id="settings-title">Settings</h2>
            <ActionStatus action={action} id="settings-problem" />
            {/* Keyed by the stored version, so a save or a release shows what the server now has. */}
            <ApiSettingsForm key={JSON.stringify(resource.properties)} client={client} api={resource} action={action} />
            <div class="actions danger-zone">
              <ConfirmButton
                label={resource.properties.isCurrent === false ? 'Delete this revision' : 'Delete API'}
                question={resource.properties.isCurrent === false ? `Delete revision ${resource.properties.apiRevision}?` : `Delete API ${api} with all its revisions?`}
                confirmLabel="Delete"
                disabled={action.busy}
                onConfirm={() => void remove()}
              />
            </div>
          </section>
          <ApiOperations key={`${api}:${resource.properties.apiRevision ?? ''}`} client={client} api={api} />
          <ApiRevisions client={client} api={baseApiName(api)} onChanged={loaded.reload} />
          <ApiVersions client={client} api={resource} onChanged={loaded.reload} />
        </>
      ) : null}
    </main>
  );
}
