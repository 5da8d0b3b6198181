/**
 * A button whose action cannot be undone (regenerate a key, cancel a subscription): pressing it
 * asks first, with the question, a button that does it and one that keeps things as they are.
 * The focus moves to the question's first button, and back to the button after either (Escape keeps things too).
 */
import { useEffect, useRef, useState } from 'preact/hooks';

export function ConfirmStep({ label, question, confirmLabel, disabled, onConfirm }: { label: string; question: string; confirmLabel: string; disabled?: boolean; onConfirm: () => void }) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (wasAsking.current) openRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" class="danger" ref={openRef} disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <div class="confirm-step" role="group" aria-label={label} onKeyDown={(e) => e.key === 'Escape' && setAsking(false)}>
      <p>{question}</p>
      <button
        type="button"
        class="danger"
        ref={confirmRef}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" class="quiet" onClick={() => setAsking(false)}>
        Keep it
      </button>
    </div>
  );
}
