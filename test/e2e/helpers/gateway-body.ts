/** Checking a gateway answer's body against a row's expectation (text, or JSON with any activityId). */
import assert from 'node:assert/strict';

/** Stands for "some non-empty activityId" in an expected 5xx body. */
export const ANY_ID = Symbol('any activityId');

/** Azure's 500 body, with any activityId. */
export const internalError = { statusCode: 500, message: 'Internal server error', activityId: ANY_ID };

/** Text equals a string expectation; otherwise the JSON deep-equals the expected object. */
export function checkBody(text: string, expected: unknown): void {
  if (typeof expected === 'string') {
    assert.equal(text, expected);
    return;
  }
  const actual = JSON.parse(text) as Record<string, unknown>;
  const want = { ...(expected as Record<string, unknown>) };
  if (want.activityId === ANY_ID) {
    assert.equal(typeof actual.activityId, 'string');
    assert.ok((actual.activityId as string).length > 0);
    want.activityId = actual.activityId;
  }
  assert.deepEqual(actual, want);
}
