/**
 * Shows what the server refused, as it said it: the message and each detail (target: message).
 * Announced to screen readers as an alert.
 */
import { ManagementError } from './arm-answer.js';

export function ProblemMessage({ error, id }: { error: unknown; id?: string }) {
  if (error === undefined || error === null) return null;
  const managementError = error instanceof ManagementError ? error : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div class="problem" role="alert" id={id}>
      <p>
        {managementError ? <strong>{managementError.code}: </strong> : null}
        {message}
      </p>
      {managementError && managementError.details.length > 0 ? (
        <ul>
          {managementError.details.map((d, i) => (
            <li key={i}>
              {d.target ? <code>{d.target}</code> : null}
              {d.target ? ': ' : ''}
              {d.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
