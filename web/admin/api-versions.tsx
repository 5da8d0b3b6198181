/**
 * An API's versions: the version set it belongs to and the set's other versions, and a form
 * adding a new version of the API into a set (a new API from this one, `sourceApiId`, with
 * `apiVersion` and `apiVersionSetId`). An API in no set first joins the chosen set with its own
 * version name (empty: the original, reached without a version), since only versions of one set
 * share a path.
 */
import { useState } from 'preact/hooks';
import { anyVersion, apiPath, apiReference } from './api-paths.js';
import { ColumnHeadings } from './column-headings.js';
import { PageSection } from './page-section.js';
import { listAll, type ManagementClient } from './management-client.js';
import { lastSegment, type ApiResource, type VersionSetResource } from './resources.js';
import { routeHash } from './route.js';
import { TextField, SelectField } from './form-fields.js';
import { useAction } from './use-action.js';
import { useLoaded } from './use-loaded.js';
import { FormButtons } from './form-buttons.js';

export function ApiVersions({ client, api, onChanged }: { client: ManagementClient; api: ApiResource; onChanged: () => void }) {
  const loaded = useLoaded(async () => {
    const [apis, sets] = await Promise.all([listAll<ApiResource>(client, '/apis'), listAll<VersionSetResource>(client, '/apiVersionSets')]);
    return { apis, sets };
  }, [client, api]);
  const action = useAction(() => {
    loaded.reload();
    onChanged();
  });
  const currentSet = lastSegment(api.properties.apiVersionSetId);
  const [set, setSet] = useState('');
  const [ownVersion, setOwnVersion] = useState('');
  const [version, setVersion] = useState('');
  const [newId, setNewId] = useState('');
  const sets = loaded.value?.sets ?? [];
  const chosenSet = currentSet || set || sets[0]?.name || '';
  const versions = currentSet
    ? (loaded.value?.apis ?? []).filter((a) => a.properties.isCurrent !== false && lastSegment(a.properties.apiVersionSetId).toLowerCase() === currentSet.toLowerCase())
    : [];
  const setName = sets.find((s) => s.name.toLowerCase() === currentSet.toLowerCase())?.properties.displayName ?? currentSet;

  const add = (event: Event) => {
    event.preventDefault();
    const id = newId.trim();
    const setId = `/apiVersionSets/${chosenSet}`;
    void action.run(async () => {
      if (!currentSet) await client.patch(apiPath(api.name), { properties: { apiVersionSetId: setId, apiVersion: ownVersion.trim() } }, anyVersion);
      await client.put(apiPath(id), { properties: { sourceApiId: apiReference(api.name), apiVersion: version.trim(), apiVersionSetId: setId } });
    }, `Version ${version.trim()} added as API ${id}.`);
  };

  return (
    <PageSection id="versions" title="Versions" action={action} loadError={loaded.error}>
      {currentSet ? (
        <>
          <p>
            In version set <strong>{setName}</strong> (<a href={routeHash({ page: 'version-sets' })}>version sets</a>).
          </p>
          <table>
            <ColumnHeadings names={['Version', 'API', 'Path']} />
            <tbody>
              {versions.map((v) => (
                <tr key={v.name}>
                  <td>{v.properties.apiVersion || '(original)'}</td>
                  <th scope="row">
                    <a href={routeHash({ page: 'api', api: v.name })}>{v.properties.displayName ?? v.name}</a>
                  </th>
                  <td>
                    <code>/{v.properties.path ?? ''}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p>The API is in no version set.</p>
      )}
      {loaded.value && sets.length === 0 ? (
        <p>
          There are no version sets yet. Create one on the <a href={routeHash({ page: 'version-sets' })}>version sets</a> page first.
        </p>
      ) : null}
      {sets.length > 0 && api.properties.isCurrent !== false ? (
        <form class="resource-form" onSubmit={add} aria-label="Add a version">
          {currentSet ? null : (
            <>
              <SelectField id="version-set" label="Version set" value={chosenSet} onValue={setSet} choices={sets.map((s) => ({ value: s.name, label: s.properties.displayName ?? s.name }))} />
              <TextField id="version-own" label="This API's version" value={ownVersion} onValue={setOwnVersion} help="Empty: the original version, reached without a version." />
            </>
          )}
          <TextField id="version-name" label="New version" value={version} onValue={setVersion} required help="e.g. v2" />
          <TextField id="version-api-id" label="API id of the new version" value={newId} onValue={setNewId} required help="The new version is a copy of this API: settings and operations." />
          <FormButtons submit="Add version" busy={action.busy} />
        </form>
      ) : null}
    </PageSection>
  );
}
