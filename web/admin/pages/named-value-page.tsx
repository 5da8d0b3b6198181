/**
 * One named value's edit page: its fields (a secret's value left empty, kept unless retyped),
 * saved with a PATCH.
 */
import { useEffect, useState } from 'preact/hooks';
import { FormSection } from '../form-fields.js';
import type { ManagementClient } from '../management-client.js';
import { namedValueBody, namedValueDraft, type NamedValueDraft, type NamedValueResource } from '../named-value-draft.js';
import { NamedValueFields } from '../named-value-fields.js';
import { ResourcePageFrame } from '../resource-page-frame.js';
import { useAction } from '../use-action.js';
import { useLoaded } from '../use-loaded.js';

export function NamedValuePage({ client, name }: { client: ManagementClient; name: string }) {
  const path = `/namedValues/${encodeURIComponent(name)}`;
  const loaded = useLoaded(() => client.get<NamedValueResource>(path), [client, path]);
  const action = useAction(loaded.reload);
  const [draft, setDraft] = useState<NamedValueDraft | undefined>(undefined);
  useEffect(() => {
    if (loaded.value && draft === undefined) setDraft(namedValueDraft(loaded.value));
  }, [loaded.value]);
  const save = async () => {
    if (!draft) return;
    const saved = await action.run(() => client.patch(path, namedValueBody(draft, true), { 'if-match': '*' }), 'Named value saved.');
    if (saved && draft.secret) setDraft({ ...draft, value: '' });
  };

  return (
    <ResourcePageFrame title={`Named value ${loaded.value?.properties.displayName ?? name}`} back={{ label: 'All named values', route: { page: 'named-values' } }} action={action} problemId="named-value-problem" loaded={loaded} what="the named value">
      {draft ? (
        <FormSection id="edit-named-value" title="Properties" submitLabel="Save named value" busy={action.busy} onSubmit={save}>
          <NamedValueFields prefix="named-value" draft={draft} editing onDraft={setDraft} />
        </FormSection>
      ) : null}
    </ResourcePageFrame>
  );
}
