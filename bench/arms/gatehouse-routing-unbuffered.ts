/**
 * Arm `gatehouse-routing-unbuffered`: the routing arm's API with one policy document, whose
 * `forward-request buffer-response="false"` passes each piece of a body on as it comes from the
 * backend instead of gathering Azure's 8 KB pieces (src/gateway/coalesced-body.ts). Not a
 * configuration the issues measure against: it is the experiment behind round 2's reading that
 * the gathering is what routing only still loses to the bare proxy at 64 KB.
 */
import type { Arm } from '../harness/types.js';
import { routingGatehouseArm } from './gatehouse-routing.js';

/** The API policy: every scope inherited, the backend call without response buffering. */
export const unbufferedRoutingPolicy = `<policies>
  <inbound><base /></inbound>
  <backend><forward-request buffer-response="false" /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>`;

export const gatehouseRoutingUnbufferedArm: Arm = routingGatehouseArm({
  id: 'gatehouse-routing-unbuffered',
  label: 'Gatehouse, routing only, buffer-response false',
  description:
    "Gatehouse with one gateway process (--workers 1): the routing arm's API 'bench' with an API policy whose backend section is `<forward-request buffer-response=\"false\" />`, so a body still arriving goes to the client piece by piece, without Azure's 8 KB gathering.",
  apiPolicy: unbufferedRoutingPolicy,
});
