/**
 * The policy editor page, for an operation's policy, an API's or the global one. Save is the management API's
 * PUT; the server compiles the document before it stores it, and a refusal is shown as the server
 * put it and marked in the editor at the line and column it names.
 */
import { useState } from 'preact/hooks';
import { errorPosition } from '../error-position.js';
import type { MarkedError } from '../error-marks.js';
import { ManagementError, type ManagementClient } from '../management-client.js';
import { PageHeading } from '../page-heading.js';
import { PolicyEditor } from '../policy-editor.js';
import { ProblemMessage } from '../problem-message.js';
import { useLoaded } from '../use-loaded.js';

/** What a new policy starts as: every section, inheriting the outer scope (the global one forwards). */
function starterPolicy(global: boolean): string {
  const inherit = global ? '' : '\n    <base />';
  const backend = global ? '\n    <forward-request />' : '\n    <base />';
  return `<policies>\n  <inbound>${inherit}\n  </inbound>\n  <backend>${backend}\n  </backend>\n  <outbound>${inherit}\n  </outbound>\n  <on-error>${inherit}\n  </on-error>\n</policies>\n`;
}

interface PolicyResource {
  properties: { value: string };
}

interface ApiResource {
  properties: { displayName?: string };
}

/** The first place a refusal names, with its message. */
function markedErrorOf(error: unknown): MarkedError | null {
  if (!(error instanceof ManagementError)) return null;
  for (const text of [...error.details.map((d) => d.message), error.message]) {
    const position = errorPosition(text);
    if (position) return { ...position, message: text };
  }
  return null;
}

/** The ARM path of the scope's policy: global, an API's, or an operation's. */
function scopePath(api: string | undefined, operation: string | undefined): string {
  if (api === undefined) return '';
  const apiPath = `/apis/${encodeURIComponent(api)}`;
  return operation === undefined ? apiPath : `${apiPath}/operations/${encodeURIComponent(operation)}`;
}

export function PolicyPage({ client, api, operation }: { client: ManagementClient; api?: string; operation?: string }) {
  const scope = scopePath(api, operation);
  const policyPath = `${scope}/policies/policy`;
  const loaded = useLoaded(async () => {
    const [policy, apiResource, operationResource] = await Promise.all([
      client.find<PolicyResource>(`${policyPath}?format=rawxml`),
      api === undefined ? Promise.resolve(undefined) : client.get<ApiResource>(`/apis/${encodeURIComponent(api)}`),
      operation === undefined ? Promise.resolve(undefined) : client.get<ApiResource>(scope),
    ]);
    const apiTitle = apiResource?.properties.displayName ?? api;
    const title = operation === undefined ? apiTitle : `${apiTitle}, operation ${operationResource?.properties.displayName ?? operation}`;
    return { text: policy?.properties.value ?? starterPolicy(api === undefined), exists: policy !== undefined, title };
  }, [client, policyPath]);
  const [text, setText] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<{ saved: true } | { error: unknown } | undefined>(undefined);

  const title = api === undefined ? 'Global policy' : `Policy of ${loaded.value?.title ?? (operation === undefined ? api : `${api}, operation ${operation}`)}`;
  const markedError = outcome && 'error' in outcome ? markedErrorOf(outcome.error) : null;

  const save = async () => {
    if (!loaded.value) return;
    setSaving(true);
    setOutcome(undefined);
    try {
      await client.put(policyPath, { properties: { format: 'rawxml', value: text ?? loaded.value.text } });
      setOutcome({ saved: true });
    } catch (error) {
      setOutcome({ error });
    } finally {
      setSaving(false);
    }
  };

  return (
    <main id="main">
      <PageHeading title={title} />
      {loaded.loading && !loaded.value ? <p role="status">Loading the policy…</p> : null}
      <ProblemMessage error={loaded.error} />
      {loaded.value ? (
        <>
          <p id="policy-help">
            {loaded.value.exists ? 'The stored policy document.' : 'There is no policy at this scope yet; this is a starting point.'} The server compiles it
            when you save and refuses a document that does not compile. Tab moves the focus out of the editor; Ctrl+F searches.
          </p>
          <PolicyEditor initial={loaded.value.text} label={`${title}, XML`} describedBy="policy-help" markedError={markedError} onChange={setText} />
          <div class="actions">
            <button type="button" onClick={save} disabled={saving}>
              {saving ? 'Saving…' : 'Save'}
            </button>
          </div>
          <div aria-live="polite" role="status" class="save-status">
            {outcome && 'saved' in outcome ? <p class="saved">Saved. The gateway applies it within moments.</p> : null}
          </div>
          {outcome && 'error' in outcome ? (
            <div class="save-error">
              <ProblemMessage error={outcome.error} id="policy-problem" />
              {markedError ? (
                <p>
                  Marked in the editor at line {markedError.line}, column {markedError.column}.
                </p>
              ) : null}
            </div>
          ) : null}
        </>
      ) : null}
    </main>
  );
}
