/**
 * The URL model policies work on (`context.Request.Url`, `OriginalUrl`, reference §4.2 IUrl):
 * scheme, host, port, path and an ordered, multi-valued query.
 */

export class RequestUrl {
  private pairs: Array<[string, string]>;
  /** The query exactly as received, kept while the pairs are unchanged, so it is forwarded as is. */
  private raw: { text: string; pairs: ReadonlyArray<[string, string]> } | undefined;

  constructor(
    public scheme: string,
    public host: string,
    public port: number,
    public path: string,
    /** Ordered query pairs; a name may repeat. Values are decoded. */
    query: Array<[string, string]>,
  ) {
    this.pairs = query;
  }

  /** Ordered, decoded query pairs. Replace the list (or use setQuery/deleteQuery) to change it. */
  get query(): ReadonlyArray<[string, string]> {
    return this.pairs;
  }

  set query(pairs: ReadonlyArray<[string, string]>) {
    this.pairs = pairs.map(([k, v]) => [k, v]);
  }

  /** Sets the query from its raw text (without `?`), which is sent unchanged until the query is changed. */
  setRawQuery(text: string): void {
    this.pairs = parseQueryString(text);
    this.raw = text === '' ? undefined : { text, pairs: this.pairs };
  }

  /**
   * Like setRawQuery, with the pairs already parsed from `text` (the gateway parses the client's
   * query once per request). The list is kept as given: it must not be changed afterwards.
   */
  setParsedRawQuery(text: string, pairs: Array<[string, string]>): void {
    this.pairs = pairs;
    this.raw = text === '' ? undefined : { text, pairs };
  }

  /** Parses an absolute URL. */
  static parse(url: string): RequestUrl {
    const u = new URL(url);
    const scheme = u.protocol.replace(/:$/, '');
    const port = u.port ? Number(u.port) : scheme === 'https' || scheme === 'wss' ? 443 : 80;
    const parsed = new RequestUrl(scheme, u.hostname, port, u.pathname, []);
    parsed.setRawQuery(u.search.replace(/^\?/, ''));
    return parsed;
  }

  clone(): RequestUrl {
    const copy = new RequestUrl(this.scheme, this.host, this.port, this.path, this.pairs.map(([k, v]) => [k, v]));
    if (this.raw && this.raw.pairs === this.pairs) copy.raw = { text: this.raw.text, pairs: copy.pairs };
    return copy;
  }

  /** The first value of a query parameter. */
  queryValue(name: string): string | undefined {
    for (const [k, v] of this.query) if (k === name) return v;
    return undefined;
  }

  /** All values of a query parameter. */
  queryValues(name: string): string[] {
    const out: string[] = [];
    for (const [k, v] of this.query) if (k === name) out.push(v);
    return out;
  }

  /** Replaces every value of a query parameter (appended at the end when new). */
  setQuery(name: string, values: readonly string[]): void {
    const first = this.query.findIndex(([k]) => k === name);
    const rest = this.query.filter(([k]) => k !== name);
    const added = values.map((v) => [name, v] as [string, string]);
    if (first === -1) this.query = [...rest, ...added];
    else {
      const before = this.query.slice(0, first).filter(([k]) => k !== name);
      this.query = [...before, ...added, ...rest.slice(before.length)];
    }
  }

  deleteQuery(name: string): void {
    this.query = this.query.filter(([k]) => k !== name);
  }

  /** `?a=1&b=2`, or '' when there is no query. */
  get queryString(): string {
    if (this.raw && this.raw.pairs === this.pairs) return '?' + this.raw.text;
    if (this.query.length === 0) return '';
    return '?' + this.query.map(([k, v]) => `${encodeQueryComponent(k)}=${encodeQueryComponent(v)}`).join('&');
  }

  /** Path plus query, as sent on the request line. */
  get pathAndQuery(): string {
    return this.path + this.queryString;
  }

  /** `scheme://host[:port]` with default ports omitted. */
  get origin(): string {
    const defaultPort = this.scheme === 'https' || this.scheme === 'wss' ? 443 : 80;
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `${this.scheme}://${host}${this.port === defaultPort ? '' : ':' + this.port}`;
  }

  toString(): string {
    return this.origin + this.pathAndQuery;
  }
}

/** Parses `?a=1&b=2` (or without `?`) into decoded ordered pairs. */
export function parseQueryString(search: string): Array<[string, string]> {
  const s = search.startsWith('?') ? search.slice(1) : search;
  if (s === '') return [];
  const out: Array<[string, string]> = [];
  for (const part of s.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    out.push([safeDecode(name), safeDecode(value)]);
  }
  return out;
}

function safeDecode(text: string): string {
  const plus = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}

function encodeQueryComponent(text: string): string {
  return encodeURIComponent(text).replace(/%20/g, '+');
}
