/**
 * The outcome of a page's last change: the success announced as a status, a refusal as an alert.
 */
import type { Action } from './use-action.js';
import { ProblemMessage } from './problem-message.js';

export function ActionOutcome({ action, id }: { action: Action; id: string }) {
  return (
    <>
      <div aria-live="polite" role="status">
        {action.notice ? <p class="saved">{action.notice}</p> : null}
      </div>
      <ProblemMessage error={action.problem} id={id} />
    </>
  );
}
