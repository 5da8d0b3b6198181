/**
 * Paging and filtering of list operations (reference §5.3): `$filter`, `$top`, `$skip`, and a
 * `nextLink` that repeats the query with the next `$skip` when more items remain.
 */
import { invalidField } from './arm-error.js';
import { parseFilter, type FilterPredicate } from './odata-filter.js';

/** APIM's page size when `$top` is absent. */
export const defaultPageSize = 100;

export interface ListQuery {
  filter?: FilterPredicate;
  top: number;
  skip: number;
}

/** Reads `$filter`, `$top` and `$skip`; throws ArmError 400 for bad values. */
export function readListQuery(query: URLSearchParams): ListQuery {
  const number = (name: string, min: number, fallback: number): number => {
    const raw = query.get(name);
    if (raw === null || raw === '') return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min) throw invalidField(name, `'${name}' must be an integer of at least ${min}.`);
    return Number(raw);
  };
  const filterText = query.get('$filter');
  return {
    filter: filterText ? parseFilter(filterText) : undefined,
    top: number('$top', 1, defaultPageSize),
    skip: number('$skip', 0, 0),
  };
}

/** The `nextLink` for the page after `skip + top`, or undefined on the last page. */
export function nextLink(requestUrl: URL, query: ListQuery, total: number): string | undefined {
  if (query.skip + query.top >= total) return undefined;
  const next = new URL(requestUrl.toString());
  next.searchParams.set('$top', String(query.top));
  next.searchParams.set('$skip', String(query.skip + query.top));
  return next.toString();
}
