/**
 * The rules both entity stores share for ids, keys and ETags, so SQLite and PostgreSQL agree
 * on what an id is, which entities sit below it, and what a write condition means.
 */
import { randomBytes } from 'node:crypto';
import { ConditionFailedError } from '../core/entity-store.js';
import type { ListOptions, WriteCondition } from '../core/entity-store.js';

/** The lookup key of an id: ARM names are case-insensitive, so keys are lower-cased. */
export function entityKey(id: string): string {
  return id.toLowerCase();
}

/**
 * The key range holding every entity strictly below `key` (`key/…`): '0' is the character
 * right after '/', so in a byte-ordered column `lower <= k < upper` is exactly the prefix.
 */
export function descendantRange(key: string): { lower: string; upper: string } {
  return { lower: `${key}/`, upper: `${key}0` };
}

/** A new opaque ETag: random, so two writes never share one even within a millisecond. */
export function newEtag(): string {
  return randomBytes(12).toString('base64url');
}

/** Throws a TypeError for an id the stores cannot key consistently (a caller's bug, not user input). */
export function checkEntityShape(entity: { kind: string; id: string; parent: string; body: unknown }): void {
  checkId(entity.id);
  if (typeof entity.kind !== 'string' || entity.kind === '') throw new TypeError('entity kind must be a non-empty string');
  if (typeof entity.parent !== 'string') throw new TypeError('entity parent must be a string');
  // The parent must be an ancestor path, or deleting the parent would not find the child.
  if (entity.parent !== '' && !entityKey(entity.id).startsWith(entityKey(entity.parent) + '/')) {
    throw new TypeError(`entity parent '${entity.parent}' is not an ancestor of '${entity.id}'`);
  }
  if (entity.body === null || typeof entity.body !== 'object' || Array.isArray(entity.body)) {
    throw new TypeError('entity body must be a JSON object');
  }
}

/** Throws a TypeError for an empty id or one with empty path segments. */
export function checkId(id: string): void {
  if (typeof id !== 'string' || id === '' || id.split('/').some((segment) => segment === '')) {
    throw new TypeError(`invalid entity id '${String(id)}'`);
  }
}

/** Checks skip/top and returns them with defaults (everything from the start). */
export function pageOf(options: ListOptions): { skip: number; top: number | undefined } {
  const skip = options.skip ?? 0;
  if (!Number.isInteger(skip) || skip < 0) throw new TypeError(`skip must be a non-negative integer, got ${skip}`);
  if (options.top !== undefined && (!Number.isInteger(options.top) || options.top < 0)) {
    throw new TypeError(`top must be a non-negative integer, got ${options.top}`);
  }
  return { skip, top: options.top };
}

/**
 * Checks a write condition against the current ETag (undefined = the entity does not exist),
 * throwing the ConditionFailedError the management API turns into 412, 404 or 409.
 */
export function checkCondition(id: string, currentEtag: string | undefined, condition: WriteCondition | undefined): void {
  if (!condition) return;
  if (condition.ifNoneMatch === '*' && currentEtag !== undefined) {
    throw new ConditionFailedError('Conflict', `'${id}' already exists.`);
  }
  if (condition.ifMatch !== undefined) {
    if (currentEtag === undefined) throw new ConditionFailedError('NotFound', `'${id}' was not found.`);
    if (condition.ifMatch !== '*' && condition.ifMatch !== currentEtag) {
      throw new ConditionFailedError('PreconditionFailed', `The ETag of '${id}' does not match If-Match.`);
    }
  }
}
