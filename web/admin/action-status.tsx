/**
 * What the last write of a page came to: the success notice in a polite status region, or the
 * server's refusal as an alert (ProblemMessage, naming the field when the server names one).
 */
import { ProblemMessage } from './problem-message.js';
import type { Action } from './use-action.js';

export function ActionStatus({ action, id }: { action: Action; id: string }) {
  return (
    <>
      <div aria-live="polite" role="status">
        {action.notice ? <p class="saved">{action.notice}</p> : null}
      </div>
      <ProblemMessage error={action.problem} id={id} />
    </>
  );
}
