/**
 * One user's page: details, block and unblock (PATCH of `state`), the groups the user is in and
 * the subscriptions the user owns (`/users/{u}/groups`, `/users/{u}/subscriptions`, read-only as
 * in Azure: membership is changed on a group's page), and delete after a confirmation.
 */
import { serviceRelative } from '../arm-id.js';
import { ColumnHeadings } from '../column-headings.js';
import { DeleteWithSubscriptions } from '../delete-with-subscriptions.js';
import { listAll, type ManagementClient } from '../management-client.js';
import { ResourcePageFrame } from '../resource-page-frame.js';
import { routeHash } from '../route.js';
import { useAction } from '../use-action.js';
import { useLoaded } from '../use-loaded.js';
import { registrationDay, userFullName, type UserResource } from '../user-resource.js';

interface GroupResource {
  name: string;
  properties: { displayName?: string };
}

interface OwnedSubscription {
  name: string;
  properties: { displayName?: string; scope?: string; state?: string };
}

export function UserPage({ client, name }: { client: ManagementClient; name: string }) {
  const base = `/users/${encodeURIComponent(name)}`;
  const loaded = useLoaded(async () => {
    const [user, groups, subscriptions] = await Promise.all([
      client.get<UserResource>(base),
      listAll<GroupResource>(client, `${base}/groups`),
      listAll<OwnedSubscription>(client, `${base}/subscriptions`),
    ]);
    return { user, groups, subscriptions };
  }, [client, base]);
  const action = useAction(loaded.reload);
  const user = loaded.value?.user;
  const blocked = user?.properties.state === 'blocked';
  const setState = (state: 'active' | 'blocked') =>
    action.run(() => client.patch(base, { properties: { state } }, { 'if-match': '*' }), state === 'blocked' ? `User ${name} is blocked.` : `User ${name} is active.`);
  const remove = async (deleteSubscriptions: boolean) => {
    const deleted = await action.run(() => client.delete(`${base}${deleteSubscriptions ? '?deleteSubscriptions=true' : ''}`), `User ${name} deleted.`);
    if (deleted) location.hash = routeHash({ page: 'users' });
  };

  return (
    <ResourcePageFrame title={`User ${user ? userFullName(user) : name}`} back={{ label: 'All users', route: { page: 'users' } }} action={action} problemId="user-problem" loaded={loaded} what="the user">
      {loaded.value && user ? (
        <>
          <dl class="details">
            <dt>Id</dt>
            <dd>{user.name}</dd>
            <dt>E-mail</dt>
            <dd>{user.properties.email ?? ''}</dd>
            <dt>State</dt>
            <dd class={`status status-${user.properties.state ?? ''}`}>{user.properties.state ?? ''}</dd>
            <dt>Registered</dt>
            <dd>{registrationDay(user)}</dd>
          </dl>
          <div class="actions">
            {blocked ? (
              <button type="button" disabled={action.busy} onClick={() => setState('active')}>
                Unblock user
              </button>
            ) : (
              <button type="button" class="danger" disabled={action.busy} onClick={() => setState('blocked')}>
                Block user
              </button>
            )}
          </div>
          <section aria-labelledby="user-groups-title">
            <h2 id="user-groups-title">Groups</h2>
            {loaded.value.groups.length === 0 ? <p>The user is in no group.</p> : null}
            <ul id="user-groups">
              {loaded.value.groups.map((g) => (
                <li key={g.name}>
                  <a href={routeHash({ page: 'groups', name: g.name })}>{g.properties.displayName ?? g.name}</a>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="user-subscriptions-title">
            <h2 id="user-subscriptions-title">Subscriptions</h2>
            {loaded.value.subscriptions.length === 0 ? <p>The user owns no subscription.</p> : null}
            {loaded.value.subscriptions.length > 0 ? (
              <table id="user-subscriptions">
                <ColumnHeadings names={['Subscription', 'Scope', 'State']} />
                <tbody>
                  {loaded.value.subscriptions.map((s) => (
                    <tr key={s.name}>
                      <th scope="row">{s.properties.displayName || s.name}</th>
                      <td>
                        <code>{serviceRelative(s.properties.scope)}</code>
                      </td>
                      <td class={`status status-${s.properties.state ?? ''}`}>{s.properties.state ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
            <p>
              <a href={routeHash({ page: 'subscriptions' })}>Manage subscriptions</a>
            </p>
          </section>
          <DeleteWithSubscriptions noun="user" name={name} busy={action.busy} onDelete={remove} />
        </>
      ) : null}
    </ResourcePageFrame>
  );
}
