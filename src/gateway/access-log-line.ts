/**
 * One access log line (issue 4 §5), serialised straight into a string in the documented field
 * order (docs/observability.md): the same text `JSON.stringify` gives for an object with those
 * fields. What is the same for every request of a route (api and operation, product,
 * subscription, the endpoint, the method) is serialised once and reused (issue 19): the api,
 * operation, product and subscription by the snapshot object they come from, so a reload, which
 * brings new objects, brings their new names with them.
 */
import { unmapped } from '../core/address-ranges.js';
import type { Operation, Product, Subscription } from '../model/resources.js';
import { redactQuery, secretQueryNames } from './redact-query.js';
import type { CompletedRequest } from './request-observer.js';

/** Serialised fields kept per snapshot object, serialised again when the names they were made of differ. */
class FieldsByObject<K extends object> {
  private readonly texts = new WeakMap<K, { first: string; second: string; text: string }>();

  constructor(private readonly serialise: (first: string, second: string) => string) {}

  text(key: K, first: string, second = ''): string {
    const known = this.texts.get(key);
    // An object renamed in place (none is today) gets its new name rather than a stale one.
    if (known !== undefined && known.first === first && known.second === second) return known.text;
    const text = this.serialise(first, second);
    this.texts.set(key, { first, second, text });
    return text;
  }
}

/** JSON string literals of a small set of values (methods, endpoint labels), made once each. */
class QuotedValues {
  private readonly texts = new Map<string, string>();

  constructor(private readonly limit: number) {}

  of(value: string): string {
    let text = this.texts.get(value);
    if (text === undefined) {
      // A bound, in case the set is larger than expected: start over rather than grow.
      if (this.texts.size >= this.limit) this.texts.clear();
      text = JSON.stringify(value);
      this.texts.set(value, text);
    }
    return text;
  }
}

const routeFields = new FieldsByObject<Operation>((api, operation) => `,"api":${JSON.stringify(api)},"operation":${JSON.stringify(operation)}`);
const productField = new FieldsByObject<Product>((name) => `,"product":${JSON.stringify(name)}`);
const subscriptionField = new FieldsByObject<Subscription>((name) => `,"subscription":${JSON.stringify(name)}`);
const methods = new QuotedValues(64);
const endpoints = new QuotedValues(1024);
// Keep-alive connections and busy callers send many requests from one address.
const clientIps = new QuotedValues(1024);

/** The line for `request`, with its newline; `pidField` is `,"pid":<pid>`. */
export function accessLogLine(request: CompletedRequest, pidField: string): string {
  const { req, record } = request;
  const gw = record.gateway;
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const path = q === -1 ? rawUrl : `${rawUrl.slice(0, q)}?${redactQuery(rawUrl.slice(q + 1), secretQueryNames(gw?.api ?? record.api))}`;
  // context.RequestId is a randomUUID (hex digits and dashes): nothing in it needs escaping.
  const requestId = gw ? `"${gw.requestId}"` : `"${crypto.randomUUID()}"`;
  let line = `{${timeField(Date.now())}${pidField},"requestId":${requestId},"method":${methods.of(req.method ?? '')},"path":${JSON.stringify(path)},"status":${request.status}`;
  if (request.aborted) line += ',"aborted":true';
  line += `,"durationMs":${tenths(request.durationMs)}`;
  const length = contentLength(req.rawHeaders);
  if (length !== undefined) line += `,"requestBytes":${length}`;
  // The handler's value when it got that far; else the connection's peer.
  const clientIp = gw ? gw.request.ipAddress : (record.clientIp ?? unmapped(req.socket.remoteAddress ?? ''));
  line += `,"responseBytes":${request.responseBytes},"clientIp":${clientIps.of(clientIp)},"endpoint":${endpoints.of(request.endpoint)}`;
  if (gw) {
    line += routeFields.text(gw.operation, gw.routing.apiId, gw.operation.name);
    const { product, subscription } = gw;
    if (product) line += productField.text(product, product.name);
    if (subscription) line += subscriptionField.text(subscription, subscription.name);
  }
  if (request.backendStatus !== undefined) line += `,"backendStatus":${request.backendStatus}`;
  if (request.backendMs !== undefined) line += `,"backendMs":${tenths(request.backendMs)}`;
  const error = gw?.lastError?.reason ?? record.error;
  if (error) line += `,"error":${JSON.stringify(error)}`;
  return `${line}}\n`;
}

/**
 * `ms` rounded to one decimal, written as `String(Math.round(ms * 10) / 10)` writes it, from
 * integers: formatting a fraction is the costlier path of number-to-string.
 */
function tenths(ms: number): string {
  const t = Math.round(ms * 10);
  // Outside this range (never a duration) the digits could differ: the plain formatting then.
  if (!(t >= 0 && t < 1e15)) return String(t / 10);
  const units = Math.floor(t / 10);
  const tenth = t - units * 10;
  return tenth === 0 ? String(units) : `${units}.${tenth}`;
}

const millisTexts = Array.from({ length: 1000 }, (_, ms) => String(ms).padStart(3, '0'));
let secondStart = Number.NaN;
let secondText = '';

/** `"time":"<ISO 8601>"` for `now` (epoch ms): the part up to the second is formatted once per second. */
function timeField(now: number): string {
  const ms = now - secondStart;
  if (ms >= 0 && ms < 1000) return `${secondText}${millisTexts[ms]}Z"`;
  secondStart = now - (((now % 1000) + 1000) % 1000);
  // toISOString ends in `.mmmZ`; the rest is the second's.
  secondText = `"time":"${new Date(secondStart).toISOString().slice(0, -4)}`;
  return `${secondText}${millisTexts[now - secondStart]}Z"`;
}

/** The request's Content-Length, read from the raw headers (building `req.headers` costs more). */
function contentLength(raw: readonly string[]): number | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.length === 14 && raw[i]!.toLowerCase() === 'content-length') {
      const value = raw[i + 1]!.trim();
      return /^\d+$/.test(value) ? Number(value) : undefined;
    }
  }
  return undefined;
}
