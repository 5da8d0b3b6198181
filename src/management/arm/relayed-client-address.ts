/**
 * The address a request came from, when the developer portal relays it. The portal signs users in
 * through the management API (`GET …/identity`), so every sign-in reaches it from the portal's
 * own address, and the per-address limit on failed sign-ins would count everyone's failures as
 * one client's. The portal therefore names its visitor's address in a header, and proves it is
 * the portal with a secret that `start` makes anew each time and gives to both sides. Without
 * the secret, the header is ignored: nobody else can choose the address they are counted under.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const secretHeader = 'x-gatehouse-relay-secret';
const addressHeader = 'x-gatehouse-client-address';

export interface RelayedClientAddress {
  /** The headers the portal adds to a relayed request from `address`. */
  headersFor(address: string): Record<string, string>;
  /** The client's address: the relayed one when the secret is right, else the socket's. */
  addressOf(req: IncomingMessage): string;
}

/** A fresh shared secret and the two sides of its use. */
export function createRelayedClientAddress(secret: string = randomBytes(32).toString('base64url')): RelayedClientAddress {
  const expected = createHash('sha256').update(secret).digest();
  return {
    headersFor: (address) => ({ [secretHeader]: secret, [addressHeader]: address }),
    addressOf(req) {
      const socketAddress = req.socket.remoteAddress ?? '';
      const given = req.headers[secretHeader];
      const relayed = req.headers[addressHeader];
      if (typeof given !== 'string' || typeof relayed !== 'string' || relayed.length > 64) return socketAddress;
      if (!timingSafeEqual(createHash('sha256').update(given).digest(), expected)) return socketAddress;
      return relayed;
    },
  };
}
