/**
 * The handler of a backend call that follows redirects (forward-request follow-redirects="true").
 * undici's redirect interceptor speaks undici 7's controller interface, whose response headers
 * are an object: names lowercased and repeated values merged (two Set-Cookie headers become one
 * entry). Handed BackendExchange as it is, undici would rebuild a raw list from that object, so a
 * followed answer would reach the client with other header names than an unfollowed one and its
 * cookies joined into one header. This adapter gives BackendExchange the response's raw list,
 * which the controller carries, and maps its back-pressure to the controller's pause and resume.
 * Calls that do not follow redirects need no adapter: undici's core calls BackendExchange itself.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { BackendExchange } from './backend-exchange.js';

export class RedirectFollowingExchange implements Dispatcher.DispatchHandler {
  constructor(private readonly exchange: BackendExchange) {}

  /** Each hop is a request of its own: a cancelled call aborts the hop under way. */
  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.exchange.onConnect((reason) => controller.abort(reason));
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    const raw = Array.isArray(controller.rawHeaders) ? controller.rawHeaders : rawHeaderList(headers);
    if (!this.exchange.onHeaders(statusCode, raw, () => controller.resume())) controller.pause();
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.exchange.onData(chunk)) controller.pause();
  }

  onResponseEnd(): void {
    this.exchange.onComplete();
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.exchange.onError(err);
  }
}

/**
 * A raw list from a headers object, for a controller that does not carry the response's own:
 * one entry per value, so repeated headers stay apart (the spelling of names is lost with it).
 */
export function rawHeaderList(headers: IncomingHttpHeaders): string[] {
  const raw: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) raw.push(name, item);
    else raw.push(name, value);
  }
  return raw;
}
