/**
 * A part of a page with its own heading, the outcome of its last write and the server's refusal
 * of what it loads (an API page's operations, revisions and versions).
 */
import type { ComponentChildren } from 'preact';
import { ActionStatus } from './action-status.js';
import { ProblemMessage } from './problem-message.js';
import type { Action } from './use-action.js';

export function PageSection({ id, title, action, loadError, children }: { id: string; title: string; action: Action; loadError: unknown; children: ComponentChildren }) {
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <ActionStatus action={action} id={`${id}-problem`} />
      <ProblemMessage error={loadError} />
      {children}
    </section>
  );
}
