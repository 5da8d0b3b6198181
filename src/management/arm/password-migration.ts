/**
 * Stores written before passwords were hashed kept them sealed (reversible). Before the
 * management API answers its first request, each sealed password is opened and replaced by its
 * hash (password-hash.ts), so no reversible password stays in the store, its backups or a later
 * export, whether or not the user ever signs in again. A password that cannot be opened (the
 * store was sealed with another key) is left as it is and logged: it never verifies, and the
 * administrator sets a new one.
 */
import type { EntityStore } from '../../core/entity-store.js';
import type { Logger } from '../../core/logger.js';
import { hashPassword, isPasswordHash } from './password-hash.js';
import type { SecretSealer } from './secret-sealer.js';

/** Replaces every sealed user password with its hash; returns how many were replaced. */
export async function hashSealedPasswords(store: EntityStore, sealer: SecretSealer, actor: string, logger?: Logger): Promise<number> {
  const users = (await store.list({ kind: 'user', parent: '' })).items.filter((u) => typeof u.body.password === 'string' && !isPasswordHash(u.body.password));
  let replaced = 0;
  for (const user of users) {
    const sealed = user.body.password as string;
    let opened: string;
    try {
      opened = sealer.open(sealed);
    } catch {
      logger?.warn({ user: user.id }, 'a stored password could not be opened to be hashed; set a new one');
      continue;
    }
    // Slow on purpose: hashed outside the transaction, which only swaps the value if it is unchanged.
    const hash = await hashPassword(opened);
    replaced += await store.transaction(actor, async (tx) => {
      const current = await tx.get(user.id);
      if (!current || current.body.password !== sealed) return 0;
      await tx.put({ kind: current.kind, id: current.id, parent: current.parent, body: { ...current.body, password: hash } }, { ifMatch: current.etag });
      return 1;
    });
  }
  return replaced;
}
