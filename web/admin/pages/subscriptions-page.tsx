/**
 * The subscriptions page: every subscription (or those in one state, with ARM's $filter) with its
 * owner, scope and state; the state changes an administrator makes (approve or reject a
 * submitted one, suspend, reactivate, cancel) as PATCHes of `state`; its keys masked until shown
 * (listSecrets), copied, or regenerated; and the form that creates a subscription.
 */
import { useState } from 'preact/hooks';
import { lastSegment, serviceRelative } from '../arm-id.js';
import { ConfirmButton } from '../confirm-button.js';
import { FormSection, SelectField, TextField, type Choice } from '../form-fields.js';
import { listAll, type ManagementClient } from '../management-client.js';
import { ResourcePageFrame } from '../resource-page-frame.js';
import { ResourceTable } from '../resource-table.js';
import { ProblemMessage } from '../problem-message.js';
import { routeHash } from '../route.js';
import { SecretValue } from '../secret-value.js';
import { useAction } from '../use-action.js';
import { newResourceId } from '../new-id.js';
import { useLoaded } from '../use-loaded.js';

interface SubscriptionResource {
  name: string;
  properties: { displayName?: string; scope?: string; ownerId?: string; state?: string; createdDate?: string };
}

interface Named {
  name: string;
  properties: { displayName?: string; email?: string; firstName?: string; lastName?: string; isCurrent?: boolean };
}

interface SubscriptionKeys {
  primaryKey: string;
  secondaryKey: string;
}

const states = ['active', 'submitted', 'suspended', 'rejected', 'cancelled', 'expired'];

/** The state changes offered from each state: [new state, button text, needs a confirmation]. */
const transitions: Record<string, Array<[string, string, boolean]>> = {
  submitted: [
    ['active', 'Approve', false],
    ['rejected', 'Reject', true],
  ],
  active: [
    ['suspended', 'Suspend', false],
    ['cancelled', 'Cancel subscription', true],
  ],
  suspended: [
    ['active', 'Reactivate', false],
    ['cancelled', 'Cancel subscription', true],
  ],
};

const done: Record<string, string> = { active: 'is active', rejected: 'is rejected', suspended: 'is suspended', cancelled: 'is cancelled' };

export function SubscriptionsPage({ client }: { client: ManagementClient }) {
  const [stateFilter, setStateFilter] = useState('');
  const path = stateFilter === '' ? '/subscriptions' : `/subscriptions?$filter=${encodeURIComponent(`properties/state eq '${stateFilter}'`)}`;
  // The list remembers the filter it was loaded with, so its caption never names a newer one.
  const loaded = useLoaded(async () => ({ filter: stateFilter, items: await listAll<SubscriptionResource>(client, path) }), [client, path]);
  const subscriptions = { ...loaded, value: loaded.value?.items };
  const shownFilter = loaded.value?.filter ?? '';
  const choices = useLoaded(async () => {
    const [products, apis, users] = await Promise.all([listAll<Named>(client, '/products'), listAll<Named>(client, '/apis'), listAll<Named>(client, '/users')]);
    return { products, apis: apis.filter((a) => a.properties.isCurrent !== false), users };
  }, [client]);
  // Each key change remounts the key cells, so a shown key is hidden again rather than stale.
  const [keyRound, setKeyRound] = useState(0);
  const action = useAction(() => {
    subscriptions.reload();
    setKeyRound((r) => r + 1);
  });
  const emptyDraft = () => ({ name: newResourceId(), displayName: '', scope: '', owner: '', state: 'active' });
  const [draft, setDraft] = useState(emptyDraft);

  const at = (sid: string) => `/subscriptions/${encodeURIComponent(sid)}`;
  const setState = (sid: string, state: string) => action.run(() => client.patch(at(sid), { properties: { state } }, { 'if-match': '*' }), `Subscription ${sid} ${done[state] ?? state}.`);
  const regenerate = (sid: string, which: 'Primary' | 'Secondary') =>
    action.run(() => client.post(`${at(sid)}/regenerate${which}Key`), `Subscription ${sid} has a new ${which.toLowerCase()} key.`);
  const readKey = (sid: string, which: keyof SubscriptionKeys) => async () => (await client.post<SubscriptionKeys>(`${at(sid)}/listSecrets`))[which];

  const scopeChoices: Choice[] = [
    { value: '/apis', label: 'All APIs' },
    ...(choices.value?.products ?? []).map((p) => ({ value: `/products/${p.name}`, label: `Product: ${p.properties.displayName ?? p.name}` })),
    ...(choices.value?.apis ?? []).map((a) => ({ value: `/apis/${a.name}`, label: `API: ${a.properties.displayName ?? a.name}` })),
  ];
  const ownerChoices: Choice[] = [
    { value: '', label: 'No owner' },
    ...(choices.value?.users ?? []).map((u) => ({ value: `/users/${u.name}`, label: `${u.properties.firstName ?? ''} ${u.properties.lastName ?? ''} (${u.properties.email ?? u.name})`.trim() })),
  ];
  const scope = draft.scope || scopeChoices[0]!.value;
  const create = async () => {
    const body = { properties: { displayName: draft.displayName, scope, state: draft.state, ...(draft.owner ? { ownerId: draft.owner } : {}) } };
    const created = await action.run(() => client.put(at(draft.name), body, { 'if-none-match': '*' }), `Subscription ${draft.name} created.`);
    if (created) setDraft(emptyDraft());
  };

  return (
    <ResourcePageFrame title="Subscriptions" action={action} problemId="subscriptions-problem" loaded={loaded} what="the subscriptions">
      <form class="resource-form inline-form" onSubmit={(e) => e.preventDefault()}>
        <SelectField id="state-filter" label="Show" value={stateFilter} choices={[{ value: '', label: 'All states' }, ...states.map((s) => ({ value: s, label: `Only ${s}` }))]} onValue={setStateFilter} />
      </form>
      <ResourceTable
        items={subscriptions.value}
        noun="subscription"
        captionSuffix={shownFilter ? `${shownFilter} only` : undefined}
        class="subscriptions"
        empty={`No subscription${shownFilter ? ` is ${shownFilter}` : ''}.`}
        headings={['Subscription', 'Owner', 'Scope', 'State', 'Keys', 'Actions']}
        row={(s) => {
          const p = s.properties;
          const owner = lastSegment(p.ownerId);
          return (
            <tr key={s.name} data-subscription={s.name}>
              <th scope="row">
                {p.displayName || s.name}
                {p.displayName ? <span class="secondary"> ({s.name})</span> : null}
              </th>
              <td>{owner ? <a href={routeHash({ page: 'users', name: owner })}>{owner}</a> : <span class="secondary">none</span>}</td>
              <td>
                <code>{serviceRelative(p.scope)}</code>
              </td>
              <td class={`status status-${p.state ?? ''}`}>{p.state ?? ''}</td>
              <td class="keys" key={`${s.name}-${keyRound}`}>
                <div>
                  Primary: <SecretValue name={`primary key of ${s.name}`} read={readKey(s.name, 'primaryKey')} />
                </div>
                <div>
                  Secondary: <SecretValue name={`secondary key of ${s.name}`} read={readKey(s.name, 'secondaryKey')} />
                </div>
              </td>
              <td>
                <div class="actions wrap">
                  {(transitions[p.state ?? ''] ?? []).map(([state, label, confirm]) =>
                    confirm ? (
                      <ConfirmButton key={state} label={label} name={`${label} ${s.name}`} question={`${label.replace(/ subscription$/, '')} the subscription ${s.name}?`} confirmLabel={label} dismissLabel="Keep it" disabled={action.busy} onConfirm={() => setState(s.name, state)} />
                    ) : (
                      <button key={state} type="button" disabled={action.busy} aria-label={`${label} ${s.name}`} onClick={() => setState(s.name, state)}>
                        {label}
                      </button>
                    ),
                  )}
                  {(['Primary', 'Secondary'] as const).map((which) => (
                    <ConfirmButton
                      key={which}
                      label={`Regenerate ${which.toLowerCase()} key`}
                      name={`Regenerate ${which.toLowerCase()} key of ${s.name}`}
                      question={`Regenerate the ${which.toLowerCase()} key of ${s.name}? The current one stops working at once.`}
                      confirmLabel="Regenerate"
                      disabled={action.busy}
                      onConfirm={() => regenerate(s.name, which)}
                    />
                  ))}
                </div>
              </td>
            </tr>
          );
        }}
      />
      <ProblemMessage error={choices.error} />
      <FormSection id="create-subscription" title="Create a subscription" submitLabel="Create subscription" busy={action.busy} onSubmit={create}>
        <TextField id="new-subscription-name" label="Name" required value={draft.name} onValue={(name) => setDraft({ ...draft, name })} />
        <TextField id="new-subscription-display-name" label="Display name" required value={draft.displayName} onValue={(displayName) => setDraft({ ...draft, displayName })} />
        <SelectField id="new-subscription-scope" label="Scope" value={scope} choices={scopeChoices} onValue={(value) => setDraft({ ...draft, scope: value })} />
        <SelectField id="new-subscription-owner" label="Owner" value={draft.owner} choices={ownerChoices} onValue={(owner) => setDraft({ ...draft, owner })} />
        <SelectField id="new-subscription-state" label="State" value={draft.state} choices={states.map((s) => ({ value: s, label: s }))} onValue={(state) => setDraft({ ...draft, state })} />
      </FormSection>
    </ResourcePageFrame>
  );
}
