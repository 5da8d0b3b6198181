/**
 * Compares a management API response with the response of an Azure REST API example, value by
 * value: every value the example shows must be in our response, equal, except the fields below
 * whose value is not determined by the request. Our response may carry more than the example.
 */

/**
 * Fields whose value Azure's example cannot predict, wherever they appear, and why:
 * - `etag`: a new value on every write.
 * - `createdDate`, `createdDateTime`, `updatedDateTime`, `registrationDate`, `startDate`,
 *   `expirationDate`, `endDate`, `notificationDate`: the time the example was recorded.
 * - `timeStampUtc`: when a Key Vault named value's secret was last read (`keyVault.lastStatus`).
 * - `primaryKey`, `secondaryKey`: subscription and gateway keys are generated on create.
 * - `provisioningState`: the example shows `InProgress` of an asynchronous create; Gatehouse
 *   completes writes before it answers.
 * - `systemData`: Azure's audit of who changed the resource and when.
 * - `nextLink`: examples end a list with `""`; a last page has no link.
 * - `count`: examples count the example service's resources, not the ones this test made.
 */
export const unpredictableFields = new Set([
  'etag',
  'createdDate',
  'createdDateTime',
  'registrationDate',
  'startDate',
  'expirationDate',
  'endDate',
  'notificationDate',
  'updatedDateTime',
  'timeStampUtc',
  'primaryKey',
  'secondaryKey',
  'provisioningState',
  'systemData',
  'nextLink',
  'count',
]);

const serviceIdPrefix = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ApiManagement\/service\/[^/]+/i;

/**
 * An ARM id below the service, without the part that names the service: the example was
 * recorded on another subscription, group and service than the test's.
 */
function idBelowService(value: string): string | undefined {
  const match = serviceIdPrefix.exec(value);
  return match ? value.slice(match[0].length) : undefined;
}

/** XML with the whitespace between its tags removed: Azure re-indents a policy with CRLF. */
function xmlWithoutLayout(text: string): string {
  return text.replace(/>\s+</g, '><').trim();
}

function sameValue(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'string' && typeof actual === 'string') {
    if (expected.startsWith('<') && actual.startsWith('<')) return xmlWithoutLayout(expected) === xmlWithoutLayout(actual);
    const expectedBelow = idBelowService(expected);
    const actualBelow = idBelowService(actual);
    if (expectedBelow !== undefined && actualBelow !== undefined) return expectedBelow.toLowerCase() === actualBelow.toLowerCase();
  }
  return expected === actual;
}

/**
 * Every value of `expected` that `actual` lacks or holds differently, as `where: …` lines.
 * `ignore` holds paths (`body.properties.protocols`) not compared, with all they contain.
 */
export function responseDifferences(expected: unknown, actual: unknown, where = 'body', ignore: ReadonlySet<string> = new Set()): string[] {
  if (ignore.has(where)) return [];
  if (expected === null || typeof expected !== 'object') {
    return sameValue(expected, actual) ? [] : [`${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(expected) !== Array.isArray(actual)) {
    return [`${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected)) {
    const mine = actual as unknown[];
    if (expected.length !== mine.length) return [`${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(mine)}`];
    return expected.flatMap((item, i) => responseDifferences(item, mine[i], `${where}[${i}]`, ignore));
  }
  const mine = actual as Record<string, unknown>;
  return Object.entries(expected as Record<string, unknown>).flatMap(([key, value]) => {
    if (unpredictableFields.has(key) || ignore.has(`${where}.${key}`)) return [];
    if (!(key in mine)) return [`${where}.${key}: missing (expected ${JSON.stringify(value)})`];
    return responseDifferences(value, mine[key], `${where}.${key}`, ignore);
  });
}
