/**
 * The subscription decision remembered per connection (issue 19): a keep-alive client sends the
 * same key on every request, and hashing it (SHA-256) and looking the digest up each time costs
 * more than remembering the answer.
 *
 * What is remembered, and for how long:
 * - per socket, at most `maxKeysPerConnection` keys, each with the API it was checked for and the
 *   index's answer; a client rotating keys makes the memo start over, never grow;
 * - only while the snapshot's subscription index is the one the answers came from: a new
 *   snapshot (a suspended, deleted or regenerated key) drops them all on the next request;
 * - the raw keys only while the socket is open: they are dropped when it closes, and a socket
 *   already destroyed gets no memo at all.
 * A key is compared only with keys sent earlier on the same connection, never with any key of
 * the configuration; the index's digest comparison stays the only check against those.
 */
import type { Socket } from 'node:net';
import type { Api } from '../../model/resources.js';
import type { AccessResult } from './access-result.js';
import type { SubscriptionIndex } from './subscription-index.js';

/** Keys remembered per connection before the memo starts over. */
export const maxKeysPerConnection = 4;

type ApiFacts = Pick<Api, 'name' | 'subscriptionRequired'>;

interface Remembered {
  api: ApiFacts;
  result: AccessResult;
}

interface ConnectionMemo {
  /** The index the remembered answers came from. */
  index: SubscriptionIndex | null;
  readonly answers: Map<string, Remembered>;
}

const memos = new WeakMap<Socket, ConnectionMemo>();

/** Same answer as `index.authorize(api, key)`, remembered on `socket` for the next request. */
export function authorizeOnConnection(socket: Socket, index: SubscriptionIndex, api: ApiFacts, key: string | undefined): AccessResult {
  // No key: the index answers from a map of open products, nothing to save.
  if (key === undefined || key === '') return index.authorize(api, key);
  const memo = memoOf(socket);
  if (memo === undefined) return index.authorize(api, key);
  if (memo.index !== index) {
    memo.answers.clear();
    memo.index = index;
  }
  const known = memo.answers.get(key);
  // The snapshot's API objects are immutable, so the same object means the same name and rule.
  if (known !== undefined && known.api === api) return known.result;
  const result = index.authorize(api, key);
  if (known !== undefined) {
    known.api = api;
    known.result = result;
  } else {
    if (memo.answers.size >= maxKeysPerConnection) memo.answers.clear();
    memo.answers.set(key, { api, result });
  }
  return result;
}

/** Number of keys remembered on `socket` (for tests). */
export function rememberedKeyCount(socket: Socket): number {
  return memos.get(socket)?.answers.size ?? 0;
}

/** The socket's memo, made on its first keyed request; none once the socket is destroyed. */
function memoOf(socket: Socket): ConnectionMemo | undefined {
  let memo = memos.get(socket);
  if (memo !== undefined) return memo;
  // A destroyed socket would never emit 'close' again, so its keys would outlive it.
  if (socket.destroyed) return undefined;
  memo = { index: null, answers: new Map() };
  memos.set(socket, memo);
  const made = memo;
  socket.once('close', () => {
    made.answers.clear();
    made.index = null;
    memos.delete(socket);
  });
  return memo;
}
