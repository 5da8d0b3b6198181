/** URL checks for exported service and backend URLs. */

/** Whether a value is an absolute http or https URL. */
export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Whether a value is an absolute ws or wss URL: a WebSocket API's backend (Azure's "WebSocket URL"). */
export function isWebSocketUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'ws:' || u.protocol === 'wss:';
  } catch {
    return false;
  }
}
