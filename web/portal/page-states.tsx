/** The states of a page that reads one API or product: loading, and not shown (missing, hidden or refused). */
/** The page while an API or product is read. */
export function Loading() {
  return (
    <main id="main">
      <p role="status">Loading…</p>
    </main>
  );
}

/**
 * The page for an API or product that cannot be shown: the server's refusal as it said it, or,
 * when it answered 404, that there is none by that name or that it is not shown to this visitor.
 */
import { PageHeading } from '../shared/page-heading.js';
import { ProblemMessage } from '../shared/problem-message.js';

export function NotShown({ kind, name, error, signedIn }: { kind: 'API' | 'product'; name: string; error: unknown; signedIn: boolean }) {
  return (
    <main id="main">
      <PageHeading title={`${kind === 'API' ? 'API' : 'Product'} not found`} />
      <ProblemMessage error={error} />
      {error ? null : (
        <p>
          There is no {kind} “{name}”, or it is not shown to you.{signedIn ? '' : ' Signed-in developers may see more.'}
        </p>
      )}
    </main>
  );
}
