/**
 * An account form: its fields, one submit button (its label while busy), the status line of what
 * was done (when the form has one) and what the server refused, as it said it.
 */
import type { ComponentChildren } from 'preact';
import { ProblemMessage } from '../shared/problem-message.js';
import type { Submit } from '../shared/use-submit.js';

export function AccountForm({ submit, label, busyLabel, notice, children }: { submit: Submit; label: string; busyLabel: string; notice?: string; children?: ComponentChildren }) {
  return (
    <>
      <form class="account-form" onSubmit={submit.onSubmit}>
        {children}
        <button type="submit" disabled={submit.busy}>
          {submit.busy ? busyLabel : label}
        </button>
      </form>
      {notice !== undefined ? (
        <p role="status" class="notice">
          {notice}
        </p>
      ) : null}
      <ProblemMessage error={submit.error} />
    </>
  );
}
