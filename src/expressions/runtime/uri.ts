/** System.Uri (parse, escape/unescape) and System.Net.WebUtility. */
import { raise } from '../errors.js';
import { EnumValue, type OutSlot } from './values.js';
import { isOutSlot, noOverload, strArg, type MemberTable } from './member-table.js';

/** The runtime value of Uri. */
export class UriValue {
  readonly typeName = 'System.Uri';
  constructor(readonly url: URL | null, readonly original: string) {}
  toString(): string {
    return this.url ? unescapeSafe(this.url.href) : this.original;
  }
}

/** Uri.EscapeDataString: RFC 3986 unreserved characters stay, everything else is %XX. */
export function escapeDataString(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** Decodes %XX sequences that form valid UTF-8; leaves the others as they are. */
export function unescapeSafe(s: string): string {
  return s.replace(/(%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run.replace(/%([0-9a-fA-F]{2})/g, (m, h: string) => (parseInt(h, 16) < 0x80 ? String.fromCharCode(parseInt(h, 16)) : m));
    }
  });
}

function parseUri(s: string, kind: number): UriValue | undefined {
  if (kind === 2) return new UriValue(null, s);
  try {
    const u = new URL(s);
    return new UriValue(u, s);
  } catch {
    if (kind === 0 && !/^[a-z][a-z0-9+.-]*:/i.test(s)) return new UriValue(null, s);
    return undefined;
  }
}

/** `new Uri(string[, UriKind])`. */
export function constructUri(args: unknown[]): UriValue {
  const s = strArg(args[0], 'uriString');
  const kind = args[1] instanceof EnumValue ? args[1].value : 1;
  const u = parseUri(s, kind);
  if (!u) return raise('System.UriFormatException', 'Invalid URI: The format of the URI could not be determined.');
  return u;
}

function abs(u: UriValue): URL {
  if (!u.url) return raise('System.InvalidOperationException', 'This operation is not supported for a relative URI.');
  return u.url;
}

/** Instance members: uri. */
export const uriMembers: MemberTable = {
  props: {
    AbsoluteUri: (u: UriValue) => abs(u).href,
    AbsolutePath: (u: UriValue) => abs(u).pathname,
    PathAndQuery: (u: UriValue) => abs(u).pathname + abs(u).search,
    Query: (u: UriValue) => abs(u).search,
    Fragment: (u: UriValue) => abs(u).hash,
    Host: (u: UriValue) => abs(u).hostname,
    Authority: (u: UriValue) => abs(u).host,
    Scheme: (u: UriValue) => abs(u).protocol.replace(/:$/, ''),
    Port: (u: UriValue) => (abs(u).port ? Number(abs(u).port) : abs(u).protocol === 'https:' ? 443 : abs(u).protocol === 'http:' ? 80 : -1),
    IsAbsoluteUri: (u: UriValue) => u.url !== null,
    OriginalString: (u: UriValue) => u.original,
    Segments: (u: UriValue) => {
      const path = abs(u).pathname;
      const parts = path.split('/');
      return parts.map((p, i) => (i < parts.length - 1 ? p + '/' : p)).filter((p) => p !== '');
    },
    UserInfo: (u: UriValue) => (abs(u).username ? abs(u).username + (abs(u).password ? ':' + abs(u).password : '') : ''),
  },
  methods: {
    ToString: (u: UriValue) => u.toString(),
    GetLeftPart: (u: UriValue, a) => {
      const part = a[0] instanceof EnumValue ? a[0].name : 'Path';
      const url = abs(u);
      if (part === 'Scheme') return url.protocol + '//';
      if (part === 'Authority') return url.origin;
      if (part === 'Path') return url.origin + url.pathname;
      return url.origin + url.pathname + url.search;
    },
  },
};

/** Static members: uri. */
export const uriStatics: MemberTable = {
  methods: {
    EscapeDataString: (_: unknown, a) => escapeDataString(strArg(a[0], 'stringToEscape')),
    EscapeUriString: (_: unknown, a) => encodeURI(strArg(a[0], 'stringToEscape')),
    UnescapeDataString: (_: unknown, a) => unescapeSafe(strArg(a[0], 'stringToUnescape')),
    IsWellFormedUriString: (_: unknown, a) => {
      if (typeof a[0] !== 'string') return false;
      const kind = a[1] instanceof EnumValue ? a[1].value : 0;
      if (/\s/.test(a[0])) return false;
      const u = parseUri(a[0], kind === 0 ? 0 : kind);
      if (!u) return false;
      if (kind === 1) return u.url !== null;
      if (kind === 2) return !/^[a-z][a-z0-9+.-]*:/i.test(a[0]);
      return true;
    },
    TryCreate: (_: unknown, a) => {
      const slot = a[a.length - 1];
      if (!isOutSlot(slot)) return noOverload('TryCreate', a);
      const kind = a[1] instanceof EnumValue ? a[1].value : 0;
      const u = typeof a[0] === 'string' ? parseUri(a[0], kind) : undefined;
      (slot as OutSlot).set(u ?? null);
      return u !== undefined;
    },
  },
};

const htmlEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Static members: web utility. */
export const webUtilityStatics: MemberTable = {
  methods: {
    UrlEncode: (_: unknown, a) => (a[0] === null ? null : encodeURIComponent(strArg(a[0], 'value')).replace(/%20/g, '+').replace(/'/g, '%27').replace(/~/g, '%7E')),
    UrlDecode: (_: unknown, a) => (a[0] === null ? null : unescapeSafe(strArg(a[0], 'encodedValue').replace(/\+/g, ' '))),
    HtmlEncode: (_: unknown, a) => (a[0] === null ? null : strArg(a[0], 'value').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')),
    HtmlDecode: (_: unknown, a) => (a[0] === null ? null : strArg(a[0], 'value').replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (m, e: string) => {
      const code = e.startsWith('#x') || e.startsWith('#X') ? parseInt(e.slice(2), 16) : e.startsWith('#') ? Number(e.slice(1)) : -1;
      if (code >= 0) return code <= 0x10ffff ? String.fromCodePoint(code) : m;
      return htmlEntities[e] ?? m;
    })),
  },
};
