/** The APIs the visitor may see (those of the products shown to them), each linked to its reference. */
import { PageHeading } from '../../shared/page-heading.js';
import { useLoaded } from '../../shared/use-loaded.js';
import { apiRoute, CatalogueList } from '../catalogue-list.js';
import { listAll, type PortalClient } from '../portal-client.js';
import type { Api } from '../resources.js';

export function ApisPage({ client }: { client: PortalClient }) {
  const apis = useLoaded(() => listAll<Api>(client, 'apis'), [client]);
  return (
    <main id="main">
      <PageHeading title="APIs" />
      <p>Open an API for its reference: each operation with its parameters, bodies and answers, and a console to try it.</p>
      <CatalogueList label="APIs" loaded={apis} empty="No APIs are published to you yet. Signed-in developers may see more." routeOf={apiRoute} />
    </main>
  );
}
