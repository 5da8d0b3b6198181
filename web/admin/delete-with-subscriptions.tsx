/**
 * The delete section of a product's or a user's page: a confirmation dialog with Azure's
 * `deleteSubscriptions` choice (without it, the server refuses to delete one that still has
 * subscriptions, and says so).
 */
import { useState } from 'preact/hooks';
import { ConfirmButton } from './confirm-button.js';
import { CheckboxField } from './form-fields.js';

export function DeleteWithSubscriptions({ noun, name, busy, onDelete }: { noun: 'product' | 'user'; name: string; busy: boolean; onDelete: (deleteSubscriptions: boolean) => void }) {
  const [deleteSubscriptions, setDeleteSubscriptions] = useState(false);
  return (
    <section aria-labelledby={`delete-${noun}-title`}>
      <h2 id={`delete-${noun}-title`}>Delete</h2>
      <ConfirmButton label={`Delete ${noun}`} question={`Delete the ${noun} ${name}?`} confirmLabel="Delete" disabled={busy} onConfirm={() => onDelete(deleteSubscriptions)}>
        <CheckboxField
          id="delete-subscriptions"
          label={noun === 'product' ? 'Also delete its subscriptions' : 'Also delete the subscriptions the user owns'}
          help={`Without this, a ${noun} that has subscriptions is not deleted (Azure's deleteSubscriptions).`}
          checked={deleteSubscriptions}
          onChecked={setDeleteSubscriptions}
        />
      </ConfirmButton>
    </section>
  );
}
