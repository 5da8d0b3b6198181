/**
 * `context` as set-body's Liquid templates see it (Microsoft's set-body reference: Request.Url,
 * Method, OriginalMethod, OriginalUrl, IpAddress, MatchedParameters, HasBody,
 * ClientCertificates, Headers; Response.StatusCode, Method, Headers), plus the members the
 * snippets use from the expression context (Variables, Api, Operation, Product, Subscription,
 * User, Deployment, RequestId, Timestamp, LastError). Members are read on use, from the same
 * `context` view expressions read (pipeline/expression-runtime.ts).
 */
import { Drop } from 'liquidjs';
import type { ContextView, RequestView, ResponseView } from '../../expressions/context-view.js';
import { contextView } from '../../pipeline/expression-runtime.js';
import type { GatewayContext } from '../../pipeline/gateway-context.js';
import { dictionaryOfEntries, dictionaryOfRecord, liquidValueOf, LiquidDictionary, LiquidUrl } from './liquid-values.js';

// Drop members are readable by templates, prototype included: the state they wrap is kept in
// #private fields, which templates cannot reach (a TypeScript `private` would be a readable field).

class LiquidRequest extends Drop {
  readonly #view: RequestView;
  constructor(view: RequestView) {
    super();
    this.#view = view;
  }
  get Url(): LiquidUrl { return new LiquidUrl(this.#view.Url); }
  get OriginalUrl(): LiquidUrl { return new LiquidUrl(this.#view.OriginalUrl); }
  get Method(): string { return this.#view.Method; }
  get OriginalMethod(): string { return this.#view.OriginalMethod ?? this.#view.Method; }
  get IpAddress(): string { return this.#view.IpAddress; }
  get MatchedParameters(): LiquidDictionary { return dictionaryOfRecord(this.#view.MatchedParameters); }
  get HasBody(): boolean { return this.#view.Body !== null; }
  get ClientCertificates(): unknown[] { return []; }
  get Headers(): LiquidDictionary { return dictionaryOfEntries(this.#view.Headers); }
}

class LiquidResponse extends Drop {
  readonly #view: ResponseView;
  readonly #method: string;
  constructor(view: ResponseView, method: string) {
    super();
    this.#view = view;
    this.#method = method;
  }
  get StatusCode(): number { return this.#view.StatusCode; }
  get StatusReason(): string { return this.#view.StatusReason; }
  get Method(): string { return this.#method; }
  get Headers(): LiquidDictionary { return dictionaryOfEntries(this.#view.Headers); }
}

/** The `context` object of one render. */
export class LiquidContext extends Drop {
  readonly #view: ContextView;
  constructor(gw: GatewayContext) {
    super();
    this.#view = contextView(gw);
  }
  get Request(): LiquidRequest { return new LiquidRequest(this.#view.Request); }
  get Response(): LiquidResponse { return new LiquidResponse(this.#view.Response, this.#view.Request.Method); }
  get Variables(): LiquidDictionary {
    const vars = this.#view.Variables;
    return new LiquidDictionary(vars.names().map((name) => ({ Key: name, Value: liquidValueOf(vars.get(name)) })));
  }
  get Api(): unknown { return plain(this.#view.Api); }
  get Operation(): unknown { return plain(this.#view.Operation); }
  get Product(): unknown { return plain(this.#view.Product); }
  get Subscription(): unknown { return plain(this.#view.Subscription); }
  get User(): unknown { return plain(this.#view.User); }
  get Deployment(): unknown { return plain(this.#view.Deployment); }
  get LastError(): unknown { return plain(this.#view.LastError); }
  get RequestId(): string { return this.#view.RequestId; }
  get Timestamp(): unknown { return liquidValueOf(new Date(this.#view.Timestamp)); }
}

/**
 * A view object's public members (the Pascal-case ones; never its internal fields) as a Liquid
 * hash: URLs as LiquidUrl, dates as LiquidDate, lists and records kept.
 */
function plain(view: object | null): unknown {
  if (view === null) return null;
  const out: Record<string, unknown> = {};
  // The views are classes with getters: walk the prototype's accessors as well as own fields.
  const names = new Set<string>(Object.keys(view).filter((name) => /^[A-Z]/.test(name)));
  for (let proto = Object.getPrototypeOf(view); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) if (/^[A-Z]/.test(name)) names.add(name);
  }
  for (const name of names) {
    const value = (view as Record<string, unknown>)[name];
    if (typeof value === 'function') continue;
    if (value !== null && typeof value === 'object' && 'Text' in value && 'Scheme' in value) out[name] = new LiquidUrl(value as ConstructorParameters<typeof LiquidUrl>[0]);
    else if (/Date$/.test(name) && typeof value === 'number') out[name] = liquidValueOf(new Date(value));
    else out[name] = value;
  }
  return out;
}
