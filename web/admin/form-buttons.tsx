/**
 * A form's buttons: submit (disabled while a change runs) and, for an edit, Cancel.
 */
export function FormButtons({ submit, busy, onCancel }: { submit: string; busy: boolean; onCancel?: () => void }) {
  return (
    <div class="actions">
      <button type="submit" disabled={busy}>
        {submit}
      </button>
      {onCancel ? (
        <button type="button" class="secondary-button" onClick={onCancel}>
          Cancel
        </button>
      ) : null}
    </div>
  );
}
