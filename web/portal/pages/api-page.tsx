/**
 * An API's reference, built from its operations and schemas as the management API answers them:
 * a list of the operations (anchors `#op-{operation}`), then each operation with its parameters,
 * bodies, responses and try-it console. The signed-in user's keys for the API are read when a
 * console first opens.
 */
import { useEffect, useState } from 'preact/hooks';
import { PageHeading } from '../../shared/page-heading.js';
import { ProblemMessage } from '../../shared/problem-message.js';
import { Loading, NotShown } from '../page-states.js';
import { useLoaded, type Loaded } from '../../shared/use-loaded.js';
import { keysForApi, type OfferedKey } from '../api-keys.js';
import { subscriptionKeyHeader, type ApiSchema, type Operation } from '../catalogue-resources.js';
import { OperationReference } from '../operation-reference.js';
import { listAll, type PortalClient } from '../portal-client.js';
import type { PortalSession } from '../portal-session.js';
import type { Api } from '../resources.js';

type ApiWithKeyNames = Api & { properties: { subscriptionKeyParameterNames?: { header?: string } } };

export function ApiPage({ apiId, client, signedIn }: { apiId: string; client: PortalClient; signedIn?: PortalSession }) {
  const path = `apis/${encodeURIComponent(apiId)}`;
  const api = useLoaded(() => client.find<ApiWithKeyNames>(path), [client, apiId]);
  const operations = useLoaded(() => listAll<Operation>(client, `${path}/operations`), [client, apiId]);
  const schemas = useLoaded(() => listAll<ApiSchema>(client, `${path}/schemas`), [client, apiId]);
  const [trying, setTrying] = useState<ReadonlySet<string>>(new Set());
  const wantKeys = signedIn !== undefined && trying.size > 0;
  const keysLoaded = useLoaded(() => (wantKeys && signedIn ? keysForApi(client, signedIn.userId, apiId) : Promise.resolve(undefined)), [client, apiId, wantKeys]);
  // Until the keys asked for arrive, they are loading (the loader's own state turns so one render later).
  const keys: Loaded<OfferedKey[]> = { ...keysLoaded, value: keysLoaded.value, loading: keysLoaded.loading || (keysLoaded.value === undefined && keysLoaded.error === undefined) };

  useEffect(() => {
    // A link to `#op-{operation}` lands on the operation once the reference is drawn.
    if (!operations.value || !location.hash.startsWith('#op-')) return;
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    target?.scrollIntoView();
    target?.focus();
  }, [operations.value]);

  if (api.loading) return <Loading />;
  if (api.error || !api.value) return <NotShown kind="API" name={apiId} error={api.error} signedIn={signedIn !== undefined} />;
  const { properties } = api.value;
  const keyHeader = subscriptionKeyHeader(api.value);
  const onTryIt = (name: string) => (open: boolean) =>
    setTrying((current) => {
      const next = new Set(current);
      if (open) next.add(name);
      else next.delete(name);
      return next;
    });
  return (
    <main id="main" class="api-reference">
      <PageHeading title={properties.displayName} />
      {properties.description ? <p>{properties.description}</p> : null}
      <p>
        Base path <code>/{properties.path}</code>
        {properties.subscriptionRequired === false ? '; calls need no subscription key.' : `; calls carry a subscription key in the ${keyHeader} header.`}
      </p>
      <h2>Operations</h2>
      {operations.loading ? <p role="status">Loading…</p> : null}
      <ProblemMessage error={operations.error} />
      <ProblemMessage error={schemas.error} />
      {operations.value && operations.value.length === 0 ? <p>This API has no operations.</p> : null}
      {operations.value && operations.value.length > 0 ? (
        <ul class="operation-index" aria-label="Operations">
          {operations.value.map((op) => (
            <li key={op.name}>
              <a href={`#op-${op.name}`}>
                <span class={`method method-${op.properties.method.toLowerCase()}`}>{op.properties.method}</span> {op.properties.displayName}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      {(operations.value ?? []).map((op) => (
        <OperationReference
          key={op.name}
          operation={op}
          apiPath={properties.path}
          keyHeader={keyHeader}
          schemas={schemas.value ?? []}
          tryingIt={trying.has(op.name)}
          onTryIt={onTryIt(op.name)}
          keys={signedIn ? keys : undefined}
          csrfToken={signedIn?.csrfToken}
        />
      ))}
    </main>
  );
}
