/**
 * An active subscription's two keys: masked until **Show** (`POST subscriptions/{sid}/listSecrets`),
 * **Copy** to the clipboard, and **Regenerate** each one after a confirmation
 * (`POST …/regeneratePrimaryKey`, `…/regenerateSecondaryKey`). What happened is announced in a
 * status line.
 */
import { useState } from 'preact/hooks';
import { ProblemMessage } from '../shared/problem-message.js';
import type { SubscriptionKeys as SubscriptionSecrets } from './catalogue-resources.js';
import { ConfirmStep } from './confirm-step.js';
import type { PortalClient } from './portal-client.js';
import { useAction } from './use-action.js';

type KeyKind = 'primary' | 'secondary';
const keyKinds: ReadonlyArray<{ kind: KeyKind; label: string; field: keyof SubscriptionSecrets; regenerate: string }> = [
  { kind: 'primary', label: 'Primary key', field: 'primaryKey', regenerate: 'regeneratePrimaryKey' },
  { kind: 'secondary', label: 'Secondary key', field: 'secondaryKey', regenerate: 'regenerateSecondaryKey' },
];

export function SubscriptionKeys({ client, subscriptionId, title }: { client: PortalClient; subscriptionId: string; title: string }) {
  const [secrets, setSecrets] = useState<SubscriptionSecrets | undefined>(undefined);
  const [shown, setShown] = useState(false);
  const [notice, setNotice] = useState('');
  const action = useAction();
  const path = `subscriptions/${encodeURIComponent(subscriptionId)}`;
  const listSecrets = async () => {
    const listed = await client.post<SubscriptionSecrets>(`${path}/listSecrets`);
    setSecrets(listed);
    return listed;
  };
  const toggle = () =>
    action.run(async () => {
      setNotice('');
      if (shown) return setShown(false);
      await listSecrets();
      setShown(true);
    });
  const copy = (field: keyof SubscriptionSecrets, label: string) =>
    action.run(async () => {
      setNotice('');
      // Browsers offer the clipboard only to secure pages (HTTPS, or this machine's own address).
      if (!navigator.clipboard) throw new Error('This browser lets only pages served over HTTPS use the clipboard. Show the keys and copy one by hand.');
      const value = (secrets ?? (await listSecrets()))[field];
      await navigator.clipboard.writeText(value);
      setNotice(`${label} copied to the clipboard.`);
    });
  const regenerate = (operation: string, label: string) =>
    action.run(async () => {
      setNotice('');
      await client.post(`${path}/${operation}`);
      // Keys read before are stale now: read them again if they are on the screen.
      if (shown) await listSecrets();
      else setSecrets(undefined);
      setNotice(`A new ${label.toLowerCase()} is made. The old one stops working within a few seconds.`);
    });
  return (
    <section aria-label={`Keys of ${title}`}>
      <table class="keys">
        <caption>Keys of {title}</caption>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Value</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {keyKinds.map(({ kind, label, field, regenerate: operation }) => (
            <tr key={kind}>
              <th scope="row">{label}</th>
              <td>
                {shown && secrets ? (
                  <code data-key={kind}>{secrets[field]}</code>
                ) : (
                  <>
                    <span aria-hidden="true">••••••••••••••••</span>
                    <span class="visually-hidden">hidden</span>
                  </>
                )}
              </td>
              <td class="key-actions">
                <button type="button" class="quiet" disabled={action.busy} onClick={() => copy(field, label)} aria-label={`Copy the ${label.toLowerCase()}`}>
                  Copy
                </button>
                <ConfirmStep
                  label={`Regenerate the ${label.toLowerCase()}`}
                  question={`Make a new ${label.toLowerCase()}? Calls with the current one will be refused.`}
                  confirmLabel="Regenerate"
                  disabled={action.busy}
                  onConfirm={() => regenerate(operation, label)}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" disabled={action.busy} onClick={toggle} aria-expanded={shown}>
        {shown ? 'Hide the keys' : 'Show the keys'}
      </button>
      <p role="status" class="notice">
        {notice}
      </p>
      <ProblemMessage error={action.error} />
    </section>
  );
}
