/**
 * One group's page: its members (`/groups/{g}/users`), added and removed as links.
 */
import type { GroupResource } from '../group-resource.js';
import { LinkedResources, type Linkable } from '../linked-resources.js';
import { listAll, type ManagementClient } from '../management-client.js';
import { ResourcePageFrame } from '../resource-page-frame.js';
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
    <ResourcePageFrame title={`Group ${group?.properties.displayName ?? name}`} back={{ label: 'All groups', route: { page: 'groups' } }} action={action} problemId="group-problem" loaded={loaded} what="the group">
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
    </ResourcePageFrame>
  );
}
