/**
 * One group's page: its members (`/groups/{g}/users`), added and removed as links.
 */
import { ActionStatus } from '../action-status.js';
import type { GroupResource } from '../group-resource.js';
import { LinkedResources, type Linkable } from '../linked-resources.js';
import { listAll, type ManagementClient } from '../management-client.js';
import { PageHeading } from '../page-heading.js';
import { ProblemMessage } from '../problem-message.js';
import { routeHash } from '../route.js';
import { useAction } from '../use-action.js';
import { useLoaded } from '../use-loaded.js';
import { userFullName, type UserResource } from '../user-resource.js';

const linkable = (users: UserResource[]): Linkable[] => users.map((u) => ({ name: u.name, label: `${userFullName(u)} (${u.properties.email ?? u.name})` }));

export function GroupPage({ client, name }: { client: ManagementClient; name: string }) {
  const base = `/groups/${encodeURIComponent(name)}`;
  const loaded = useLoaded(async () => {
    const [group, members, users] = await Promise.all([client.get<GroupResource>(base), listAll<UserResource>(client, `${base}/users`), listAll<UserResource>(client, '/users')]);
    return { group, members, users };
  }, [client, base]);
  const action = useAction(loaded.reload);
  const group = loaded.value?.group;

  return (
    <main id="main">
      <PageHeading title={`Group ${group?.properties.displayName ?? name}`} />
      <p>
        <a href={routeHash({ page: 'groups' })}>All groups</a>
      </p>
      <ActionStatus action={action} id="group-problem" />
      {loaded.loading && !loaded.value ? <p role="status">Loading the group…</p> : null}
      <ProblemMessage error={loaded.error} />
      {loaded.value && group ? (
        <>
          {group.properties.description ? <p>{group.properties.description}</p> : null}
          <LinkedResources
            id="group-members"
            title="Members"
            noun="member"
            owner="the group"
            collection={`${base}/users`}
            linked={linkable(loaded.value.members)}
            candidates={linkable(loaded.value.users)}
            empty="The group has no members."
            client={client}
            action={action}
          />
        </>
      ) : null}
    </main>
  );
}
