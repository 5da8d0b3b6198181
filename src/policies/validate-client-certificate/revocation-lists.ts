/**
 * Revocation checks for validate-client-certificate: each certificate of the caller's chain but
 * the root is looked up in the certificate revocation list (CRL, RFC 5280 §5) its issuer
 * publishes at the certificate's CRL distribution points, as .NET's X509Chain does online
 * (X509RevocationFlag.ExcludeRoot). A list is fetched over http(s) (5 s, 1 MiB at most), its
 * signature checked with the issuer's key, and kept until its nextUpdate (an hour at most);
 * a failed fetch is remembered for a minute, so an unreachable list does not slow every
 * request. A certificate without distribution points, or whose list cannot be had, has an
 * unknown status. OCSP is not asked.
 */
import { verify as verifySignature, type X509Certificate } from 'node:crypto';
import { readLimitedBody } from '../../core/limited-body.js';
import { derChildren, oidText, readDer, type Der } from '../../expressions/runtime/x509.js';

export type RevocationStatus = 'good' | 'revoked' | 'unknown';

const fetchTimeoutMs = 5_000;
const maxListBytes = 1024 * 1024;
const maxKeepMs = 3_600_000;
const failureKeepMs = 60_000;
const maxLists = 64;
/**
 * How far a list's thisUpdate may lie ahead of the request's time: the issuer's clock, and a
 * list made while the request waited for it, may be a little ahead of the gateway's.
 */
const clockSkewMs = 5 * 60_000;

/** Signature algorithms of a CRL by OID, with their hash. */
const signatureHashes: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1', '1.2.840.113549.1.1.11': 'sha256', '1.2.840.113549.1.1.12': 'sha384', '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1', '1.2.840.10045.4.3.2': 'sha256', '1.2.840.10045.4.3.3': 'sha384', '1.2.840.10045.4.3.4': 'sha512',
};

/** A parsed revocation list. */
interface RevocationList {
  tbs: Uint8Array;
  hash: string | undefined;
  signature: Uint8Array;
  thisUpdate: number;
  nextUpdate: number | undefined;
  /** Revoked serial numbers, hex without leading zeros. */
  revoked: Set<string>;
}

interface Kept {
  list: RevocationList | undefined;
  until: number;
}

const serialKey = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').replace(/^(00)+/, '').toUpperCase();

/** The `uniformResourceIdentifier` names of the certificate's CRL distribution points (extension 2.5.29.31). */
export function distributionPoints(cert: X509Certificate): string[] {
  const [tbs] = derChildren(readDer(cert.raw, 0).body);
  const extensions = derChildren(tbs!.body).find((f) => f.tag === 0xa3);
  if (!extensions) return [];
  const urls: string[] = [];
  for (const extension of derChildren(derChildren(extensions.body)[0]!.body)) {
    const [oid, ...rest] = derChildren(extension.body);
    if (!oid || oidText(oid.body) !== '2.5.29.31') continue;
    const value = rest.at(-1)!;
    collectUris(derChildren(value.body), urls);
  }
  return urls.filter((u) => /^https?:\/\//i.test(u));
}

function collectUris(elements: Der[], out: string[]): void {
  for (const e of elements) {
    if (e.tag === 0x86) out.push(Buffer.from(e.body).toString('latin1'));
    else if (e.tag & 0x20) collectUris(derChildren(e.body), out);
  }
}

function derTime(d: Der): number {
  const text = Buffer.from(d.body).toString('latin1');
  const full = d.tag === 0x17 ? (Number(text.slice(0, 2)) >= 50 ? '19' : '20') + text : text;
  const m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(full);
  if (!m) throw new Error('time');
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

/** Parses a DER CRL; throws on anything malformed. */
export function parseRevocationList(der: Uint8Array): RevocationList {
  const outer = readDer(der, 0);
  const [tbsElement, algorithm, signature] = derChildren(outer.body);
  if (!tbsElement || !algorithm || !signature || signature.tag !== 0x03) throw new Error('not a CRL');
  const fields = derChildren(tbsElement.body);
  let i = fields[0]?.tag === 0x02 ? 1 : 0;
  i += 2; // signature algorithm, issuer
  const thisUpdate = derTime(fields[i++]!);
  const next = fields[i];
  const nextUpdate = next && (next.tag === 0x17 || next.tag === 0x18) ? (i++, derTime(next)) : undefined;
  const revoked = new Set<string>();
  if (fields[i]?.tag === 0x30) for (const entry of derChildren(fields[i]!.body)) revoked.add(serialKey(derChildren(entry.body)[0]!.body));
  return {
    tbs: outer.body.subarray(0, tbsElement.end),
    hash: signatureHashes[oidText(derChildren(algorithm.body)[0]!.body)],
    signature: signature.body.subarray(1),
    thisUpdate,
    nextUpdate,
    revoked,
  };
}

/** The lists fetched so far, by URL; one per gateway process. */
export class RevocationLists {
  private readonly kept = new Map<string, Kept>();
  private readonly fetching = new Map<string, Promise<RevocationList | undefined>>();

  /** The status of `cert`, issued by `issuer`, at `now`. */
  async status(cert: X509Certificate, serial: Uint8Array, issuer: X509Certificate, now: number): Promise<RevocationStatus> {
    for (const url of distributionPoints(cert)) {
      const list = await this.list(url, now);
      if (!list || !list.hash || now + clockSkewMs < list.thisUpdate || (list.nextUpdate !== undefined && now > list.nextUpdate)) continue;
      if (!verifySignature(list.hash, list.tbs, issuer.publicKey, list.signature)) continue;
      return list.revoked.has(serialKey(serial)) ? 'revoked' : 'good';
    }
    return 'unknown';
  }

  private async list(url: string, now: number): Promise<RevocationList | undefined> {
    const kept = this.kept.get(url);
    if (kept && now < kept.until) return kept.list;
    let pending = this.fetching.get(url);
    if (!pending) {
      pending = this.fetch(url, now).finally(() => this.fetching.delete(url));
      this.fetching.set(url, pending);
    }
    return pending;
  }

  private async fetch(url: string, now: number): Promise<RevocationList | undefined> {
    let list: RevocationList | undefined;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(fetchTimeoutMs) });
      if (res.ok) list = parseRevocationList(await readLimitedBody(res, maxListBytes));
      else await res.body?.cancel();
    } catch {
      list = undefined;
    }
    const until = list ? Math.min(list.nextUpdate ?? Infinity, now + maxKeepMs) : now + failureKeepMs;
    if (this.kept.size >= maxLists) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(url, { list, until });
    return list;
  }
}
