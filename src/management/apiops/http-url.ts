/** URL checks for exported service and backend URLs. */

/** Whether a value is an absolute URL of one of `schemes` (`'http:'`, …). */
function isAbsoluteUrlOf(value: string, schemes: readonly string[]): boolean {
  return URL.canParse(value) && schemes.includes(new URL(value).protocol);
}

/** Whether a value is an absolute http or https URL. */
export function isHttpUrl(value: string): boolean {
  return isAbsoluteUrlOf(value, ['http:', 'https:']);
}

/** Whether a value is an absolute ws or wss URL: a WebSocket API's backend (Azure's "WebSocket URL"). */
export function isWebSocketUrl(value: string): boolean {
  return isAbsoluteUrlOf(value, ['ws:', 'wss:']);
}
