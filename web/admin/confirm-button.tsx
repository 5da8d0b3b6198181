/**
 * A destructive action's button: it opens a modal dialog (the native `<dialog>`, which keeps the
 * focus inside and closes on Escape) that says what will happen and asks again. The focus starts
 * on the dismiss button, so Enter alone never destroys anything, and returns to the opener. Only the
 * dialog's confirm button acts. Extra choices (Azure's `deleteSubscriptions`) go in `children`.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';

export function ConfirmButton(props: {
  /** The button's text, e.g. "Delete". */
  label: string;
  /** The button's accessible name when the text alone is ambiguous in a table ("Delete product gold"). */
  name?: string;
  /** The dialog's question. */
  question: string;
  confirmLabel: string;
  /** The button that closes the dialog without acting; "Cancel" unless that is the action's own name. */
  dismissLabel?: string;
  disabled?: boolean;
  onConfirm: () => void;
  children?: ComponentChildren;
}) {
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  useEffect(() => {
    if (open && dialog.current && !dialog.current.open) dialog.current.showModal();
  }, [open]);
  // However it closes (a button, Escape), the dialog's close event ends it, and the focus goes
  // back to the button that opened it (no longer inert once the modal dialog is closed).
  const closed = () => {
    setOpen(false);
    opener.current?.focus();
  };
  const close = () => dialog.current?.close();
  return (
    <>
      <button type="button" class="danger" ref={opener} aria-label={props.name} disabled={props.disabled} onClick={() => setOpen(true)}>
        {props.label}
      </button>
      {open ? (
        <dialog ref={dialog} class="confirm" aria-labelledby={titleId} onClose={closed}>
          <h2 id={titleId}>{props.question}</h2>
          {props.children}
          <div class="actions">
            <button
              type="button"
              class="danger"
              onClick={() => {
                close();
                props.onConfirm();
              }}
            >
              {props.confirmLabel}
            </button>
            <button type="button" class="secondary-button" autofocus onClick={close}>
              {props.dismissLabel ?? 'Cancel'}
            </button>
          </div>
        </dialog>
      ) : null}
    </>
  );
}
