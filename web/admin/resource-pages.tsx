/**
 * The page a resource route shows (resource-routes.ts): a list page, or one resource's page.
 */
import type { ManagementClient } from './management-client.js';
import { GroupPage } from './pages/group-page.js';
import { GroupsPage } from './pages/groups-page.js';
import { NamedValuePage } from './pages/named-value-page.js';
import { NamedValuesPage } from './pages/named-values-page.js';
import { ProductPage } from './pages/product-page.js';
import { ProductsPage } from './pages/products-page.js';
import { SubscriptionsPage } from './pages/subscriptions-page.js';
import { UserPage } from './pages/user-page.js';
import { UsersPage } from './pages/users-page.js';
import type { ResourceRoute } from './resource-routes.js';

export function ResourcePages({ route, client }: { route: ResourceRoute; client: ManagementClient }) {
  const name = route.name;
  switch (route.page) {
    case 'products':
      return name === undefined ? <ProductsPage client={client} /> : <ProductPage key={name} client={client} name={name} />;
    case 'subscriptions':
      return <SubscriptionsPage client={client} />;
    case 'users':
      return name === undefined ? <UsersPage client={client} /> : <UserPage key={name} client={client} name={name} />;
    case 'groups':
      return name === undefined ? <GroupsPage client={client} /> : <GroupPage key={name} client={client} name={name} />;
    case 'named-values':
      return name === undefined ? <NamedValuesPage client={client} /> : <NamedValuePage key={name} client={client} name={name} />;
  }
}
