/**
 * What every resource page has around its content: the heading (which takes the focus), a link
 * back to the list on one resource's page, the outcome of the page's last write, and the state
 * of what it loads (loading, or the server's refusal).
 */
import type { ComponentChildren } from 'preact';
import { ActionStatus } from './action-status.js';
import { PageHeading } from './page-heading.js';
import { ProblemMessage } from './problem-message.js';
import type { ResourceRoute } from './resource-routes.js';
import { resourceRouteHash } from './resource-routes.js';
import type { Action } from './use-action.js';
import type { Loaded } from './use-loaded.js';

export function ResourcePageFrame(props: {
  title: string;
  /** On one resource's page: the list to go back to. */
  back?: { label: string; route: ResourceRoute };
  action: Action;
  /** The id of the write's refusal (tests and aria-describedby find it by it). */
  problemId: string;
  loaded: Loaded<unknown>;
  /** What is loading, for the status line ("the products"). */
  what: string;
  children: ComponentChildren;
}) {
  const { loaded } = props;
  return (
    <main id="main">
      <PageHeading title={props.title} />
      {props.back ? (
        <p>
          <a href={resourceRouteHash(props.back.route)}>{props.back.label}</a>
        </p>
      ) : null}
      <ActionStatus action={props.action} id={props.problemId} />
      {loaded.loading && loaded.value === undefined ? <p role="status">Loading {props.what}…</p> : null}
      <ProblemMessage error={loaded.error} />
      {props.children}
    </main>
  );
}
