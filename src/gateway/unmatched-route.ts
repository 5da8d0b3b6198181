/**
 * Stand-ins for the API and operation of a request that matched none, so its on-error sections
 * can run with `context.LastError` = OperationNotFound (reference §1.5). Expressions see
 * `context.Operation` (and, without an API, `context.Api`) as null.
 */
import type { Api, Operation } from '../model/resources.js';

const noApi: Api = {
  name: '',
  displayName: '',
  path: '',
  protocols: ['http', 'https'],
  subscriptionRequired: false,
  apiRevision: '1',
  isCurrent: true,
  isOnline: true,
  operations: [],
};

/** The API a miss is reported against: the one selected before the miss, or a blank one. */
export function unmatchedApi(api: Api | undefined): Api {
  return api ?? noApi;
}

/** A blank operation for the request's method. */
export function unmatchedOperation(method: string): Operation {
  return { name: '', displayName: '', method, urlTemplate: '' };
}
