/**
 * Reads the subscription key a caller sent (reference §1.4): the header first, the query
 * parameter only when the header is absent, under the API's own names when it overrides them.
 */
import type { Api } from '../../model/resources.js';

export const defaultSubscriptionKeyHeader = 'Ocp-Apim-Subscription-Key';
export const defaultSubscriptionKeyQuery = 'subscription-key';

/** The header and query parameter names an API reads its key from (defaults filled in). */
export function subscriptionKeyNames(api: Pick<Api, 'subscriptionKeyParameterNames'>): { header: string; query: string } {
  const names = api.subscriptionKeyParameterNames;
  // An empty name in the configuration cannot be sent by anyone, so it means "not overridden".
  return {
    header: names?.header ? names.header : defaultSubscriptionKeyHeader,
    query: names?.query ? names.query : defaultSubscriptionKeyQuery,
  };
}

/**
 * The key sent with a request, or undefined when none was sent. `header` looks a header up
 * case-insensitively; `query` holds the decoded query pairs in order.
 */
export function extractSubscriptionKey(
  api: Pick<Api, 'subscriptionKeyParameterNames'>,
  header: (name: string) => string | undefined,
  query: ReadonlyArray<readonly [string, string]>,
): string | undefined {
  const names = subscriptionKeyNames(api);
  // An empty value is no key at all: it falls through to the query parameter and, failing that,
  // to "missing key" rather than "invalid key" [infer].
  const fromHeader = header(names.header)?.trim();
  if (fromHeader) return fromHeader;
  // Query names are compared exactly, like every other query lookup in the gateway; the first
  // non-empty occurrence wins.
  for (const [name, value] of query) if (name === names.query && value !== '') return value;
  return undefined;
}
