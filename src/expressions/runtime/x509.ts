/**
 * System.Security.Cryptography.X509Certificates.X509Certificate2 over node:crypto's
 * X509Certificate: loading (DER, PEM), the distinguished names in .NET's text form, thumbprint,
 * serial number, validity, the RSA public key, GetNameInfo and chain verification against the
 * CA certificates Node ships (Gatehouse has no system certificate store).
 */
import crypto, { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { raise } from '../errors.js';
import { noOverload, strArg, type MemberTable } from './member-table.js';
import { bytesArg } from './crypto.js';
import { dateFromMs } from './datetime.js';
import { EnumValue } from './values.js';
import { RsaValue } from './rsa.js';
import type { Runtime } from './budget.js';

export interface Der {
  tag: number;
  /** Content bytes. */
  body: Uint8Array;
  /** Offset just past the element. */
  end: number;
}

/** Reads the DER element at `at` (throws on truncated input; callers map that to .NET's error). */
export function readDer(b: Uint8Array, at: number): Der {
  const tag = b[at];
  let len = b[at + 1];
  if (tag === undefined || len === undefined) throw new Error('truncated');
  let start = at + 2;
  if (len & 0x80) {
    const count = len & 0x7f;
    if (count === 0 || count > 4) throw new Error('length');
    len = 0;
    for (let i = 0; i < count; i++) len = len * 256 + (b[start + i] ?? 0);
    start += count;
  }
  if (start + len > b.length) throw new Error('truncated');
  return { tag, body: b.subarray(start, start + len), end: start + len };
}

/** The children of a constructed element. */
export function derChildren(body: Uint8Array): Der[] {
  const out: Der[] = [];
  for (let at = 0; at < body.length;) {
    const d = readDer(body, at);
    out.push(d);
    at = d.end;
  }
  return out;
}

export function oidText(body: Uint8Array): string {
  const parts = [Math.floor(body[0]! / 40), body[0]! % 40];
  let n = 0;
  for (const byte of body.subarray(1)) {
    n = n * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(n);
      n = 0;
    }
  }
  return parts.join('.');
}

/** Attribute short names as .NET's X500DistinguishedName prints them (note S= and E=). */
const attributeNames: Record<string, string> = {
  '2.5.4.3': 'CN', '2.5.4.4': 'SN', '2.5.4.5': 'SERIALNUMBER', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'S', '2.5.4.9': 'STREET',
  '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.12': 'T', '2.5.4.42': 'G', '2.5.4.43': 'I', '2.5.4.17': 'PostalCode',
  '1.2.840.113549.1.9.1': 'E', '0.9.2342.19200300.100.1.25': 'DC', '0.9.2342.19200300.100.1.1': 'OID.0.9.2342.19200300.100.1.1',
};

function stringValue(d: Der): string {
  switch (d.tag) {
    case 0x1e: return Buffer.from(d.body).swap16().toString('utf16le'); // BMPString
    case 0x1c: { // UniversalString (UTF-32BE)
      let s = '';
      for (let i = 0; i + 3 < d.body.length; i += 4) s += String.fromCodePoint(Buffer.from(d.body).readUInt32BE(i));
      return s;
    }
    case 0x14: return Buffer.from(d.body).toString('latin1'); // T61String
    default: return Buffer.from(d.body).toString('utf8');
  }
}

/** One attribute of a distinguished name, in DER order. */
interface NameAttribute {
  oid: string;
  value: string;
  /** Index of the RDN (SET) the attribute belongs to. */
  rdn: number;
}

function parseName(d: Der): NameAttribute[] {
  const out: NameAttribute[] = [];
  derChildren(d.body).forEach((set, rdn) => {
    for (const pair of derChildren(set.body)) {
      const [oid, value] = derChildren(pair.body);
      if (oid && value) out.push({ oid: oidText(oid.body), value: stringValue(value), rdn });
    }
  });
  return out;
}

/** .NET quotes values holding separators, quotes or edge spaces (doubling inner quotes). */
function quoteValue(v: string): string {
  if (v === '' || /[,+=";<>#\n\r]/.test(v) || /^\s|\s$/.test(v)) return '"' + v.replace(/"/g, '""') + '"';
  return v;
}

/** The distinguished name as X500DistinguishedName.Name: last RDN first, ", " between RDNs. */
function nameText(attrs: NameAttribute[]): string {
  const rdns: string[][] = [];
  for (const a of attrs) (rdns[a.rdn] ??= []).push(`${attributeNames[a.oid] ?? 'OID.' + a.oid}=${quoteValue(a.value)}`);
  return rdns.filter(Boolean).reverse().map((parts) => parts.join(' + ')).join(', ');
}

/** A loaded certificate. */
export class X509Certificate2Value {
  readonly typeName = 'System.Security.Cryptography.X509Certificates.X509Certificate2';
  readonly subject: NameAttribute[];
  readonly issuer: NameAttribute[];
  /** The serial number's DER content bytes (with any leading 00 pad, as .NET prints it). */
  readonly serial: Uint8Array;
  constructor(
    readonly raw: Uint8Array,
    readonly node: X509Certificate,
  ) {
    const [tbs] = derChildren(readDer(raw, 0).body);
    const fields = derChildren(tbs!.body);
    const offset = fields[0]!.tag === 0xa0 ? 1 : 0; // [0] version is optional (v1 certificates)
    this.serial = fields[offset]!.body;
    this.issuer = parseName(fields[offset + 2]!);
    this.subject = parseName(fields[offset + 4]!);
  }
  toString(): string {
    return this.typeName;
  }
  get thumbprint(): string {
    return crypto.createHash('sha1').update(this.raw).digest('hex').toUpperCase();
  }
}

/** X500DistinguishedName (SubjectName / IssuerName). */
export class X500NameValue {
  readonly typeName = 'System.Security.Cryptography.X509Certificates.X500DistinguishedName';
  constructor(readonly attrs: NameAttribute[], readonly raw: Uint8Array) {}
  toString(): string {
    return this.typeName;
  }
}

function loadError(): never {
  return raise('System.Security.Cryptography.CryptographicException', 'Cannot find the requested object.');
}

/** Loads DER bytes (or PEM text in bytes, which .NET also accepts). */
function load(bytes: Uint8Array): X509Certificate2Value {
  let der = bytes;
  const text = Buffer.from(bytes.subarray(0, 11)).toString('latin1');
  if (text === '-----BEGIN ') {
    const found = pemCertificate(Buffer.from(bytes).toString('latin1'));
    if (!found) return loadError();
    der = found;
  }
  try {
    const node = new X509Certificate(der);
    return new X509Certificate2Value(new Uint8Array(node.raw), node);
  } catch {
    return loadError();
  }
}

/** The DER of the first `CERTIFICATE` block of PEM text. */
function pemCertificate(text: string): Uint8Array | undefined {
  const m = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*)-----END CERTIFICATE-----/.exec(text);
  return m ? new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')) : undefined;
}

/** The names of a certificate as .NET prints them: Subject, Issuer, the subject's CN, and SerialNumber. */
export function certificateNames(c: X509Certificate2Value): { subject: string; issuer: string; commonName: string | undefined; serialNumber: string } {
  return { subject: nameText(c.subject), issuer: nameText(c.issuer), commonName: attribute(c.subject, '2.5.4.3'), serialNumber: hex(c.serial) };
}

/** A certificate the gateway already holds as DER (the caller's client certificate). */
export function x509FromDer(der: Uint8Array): X509Certificate2Value {
  return load(der);
}

/** `new X509Certificate2(byte[] rawData)`. */
export function constructX509(args: unknown[], rt: Runtime): X509Certificate2Value {
  if (args.length !== 1) return noOverload('X509Certificate2', args);
  if (args[0] === null || (args[0] instanceof Uint8Array && args[0].length === 0)) {
    return raise('System.ArgumentException', "Array may not be empty or null. (Parameter 'rawData')");
  }
  if (typeof args[0] === 'string') return raise('System.NotSupportedException', 'Loading certificates from files is not supported in policy expressions; pass the certificate bytes.');
  return load(bytesArg(args[0], rt, 'rawData'));
}

let anchorCache: X509Certificate[] | undefined;

/** The trust anchors: the Mozilla CA set bundled with Node (tls.rootCertificates), parsed once. */
export function systemAnchors(): X509Certificate[] {
  anchorCache ??= tls.rootCertificates.map((pem) => new X509Certificate(pem));
  return anchorCache;
}

const maxChainLength = 8;

function within(cert: X509Certificate, nowMs: number): boolean {
  return Date.parse(cert.validFrom) <= nowMs && nowMs <= Date.parse(cert.validTo);
}

function isSelfSigned(cert: X509Certificate): boolean {
  return cert.checkIssued(cert) && cert.verify(cert.publicKey);
}

/**
 * True when `cert` chains to one of `anchors` by issuer name and signature, every certificate
 * (the anchor included) being within its validity at `nowMs` and every issuer being a CA.
 * `pool` holds intermediates that may be used (X509Chain's extra store).
 */
export function verifyChain(cert: X509Certificate, anchors: readonly X509Certificate[], nowMs: number, pool: readonly X509Certificate[] = []): boolean {
  let current = cert;
  for (let depth = 0; depth < maxChainLength; depth++) {
    if (!within(current, nowMs)) return false;
    if (anchors.some((a) => a.raw.equals(current.raw))) return true;
    const issuer = [...anchors, ...pool].find((c) => c.ca && current.checkIssued(c) && current.verify(c.publicKey) && !c.raw.equals(current.raw));
    if (!issuer) return false;
    // A self-signed certificate that is not an anchor ends the chain untrusted.
    if (isSelfSigned(current)) return false;
    current = issuer;
  }
  return false;
}

/** X509Certificate2.VerifyNoRevocation(): the chain check without revocation. */
function verifyNoRevocation(c: X509Certificate2Value, rt: Runtime): boolean {
  const result = verifyChain(c.node, systemAnchors(), rt.now());
  rt.checkTime();
  return result;
}

/**
 * X509Certificate2.Verify(): .NET also checks revocation online for every certificate but the
 * root. Gatehouse cannot fetch CRLs or OCSP answers from an expression, so the revocation
 * status of a non-root certificate is unknown, which fails the chain as it does in .NET.
 */
function verify(c: X509Certificate2Value, rt: Runtime): boolean {
  return isSelfSigned(c.node) && verifyNoRevocation(c, rt);
}

/** The X509NameType enum. */
export const x509NameTypes: Record<string, number> = { SimpleName: 0, EmailName: 1, UpnName: 2, DnsName: 3, DnsFromAlternativeName: 4, UrlName: 5 };

function altNames(c: X509Certificate2Value, prefix: string): string[] {
  if (!c.node.subjectAltName) return [];
  return c.node.subjectAltName.split(', ').filter((s) => s.startsWith(prefix)).map((s) => s.slice(prefix.length));
}

/** The value .NET reads for an attribute: the first match in printed order (last RDN first). */
function attribute(attrs: NameAttribute[], oid: string): string | undefined {
  for (let i = attrs.length - 1; i >= 0; i--) if (attrs[i]!.oid === oid) return attrs[i]!.value;
  return undefined;
}

/** X509Certificate2.GetNameInfo(nameType, forIssuer). */
function nameInfo(c: X509Certificate2Value, args: unknown[]): string {
  const type = args[0];
  if (!(type instanceof EnumValue) || type.type !== 'System.Security.Cryptography.X509Certificates.X509NameType' || typeof args[1] !== 'boolean') return noOverload('GetNameInfo', args);
  const attrs = args[1] ? c.issuer : c.subject;
  const cn = attribute(attrs, '2.5.4.3');
  const email = attribute(attrs, '1.2.840.113549.1.9.1');
  switch (type.name) {
    case 'SimpleName':
      return cn ?? attribute(attrs, '2.5.4.11') ?? attribute(attrs, '2.5.4.10') ?? email ?? (args[1] ? undefined : altNames(c, 'DNS:')[0]) ?? '';
    case 'EmailName':
      return email ?? (args[1] ? undefined : altNames(c, 'email:')[0]) ?? '';
    case 'DnsName':
      return (args[1] ? undefined : altNames(c, 'DNS:')[0]) ?? cn ?? '';
    case 'DnsFromAlternativeName':
      return (args[1] ? undefined : altNames(c, 'DNS:')[0]) ?? '';
    case 'UrlName':
      return (args[1] ? undefined : altNames(c, 'URI:')[0]) ?? '';
    default:
      return '';
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

function rsaPublicKey(c: X509Certificate2Value): RsaValue | null {
  if (c.node.publicKey.asymmetricKeyType !== 'rsa') return null;
  const rsa = new RsaValue();
  rsa.set(c.node.publicKey);
  return rsa;
}

/** Instance members: X509Certificate2. */
export const x509Members: MemberTable = {
  props: {
    Subject: (c: X509Certificate2Value) => nameText(c.subject),
    Issuer: (c: X509Certificate2Value) => nameText(c.issuer),
    SubjectName: (c: X509Certificate2Value) => new X500NameValue(c.subject, c.raw),
    IssuerName: (c: X509Certificate2Value) => new X500NameValue(c.issuer, c.raw),
    Thumbprint: (c: X509Certificate2Value) => c.thumbprint,
    SerialNumber: (c: X509Certificate2Value) => hex(c.serial),
    // .NET gives local time; the gateway's local zone is UTC.
    NotBefore: (c: X509Certificate2Value) => dateFromMs(Date.parse(c.node.validFrom), 'Local'),
    NotAfter: (c: X509Certificate2Value) => dateFromMs(Date.parse(c.node.validTo), 'Local'),
    RawData: (c: X509Certificate2Value) => c.raw.slice(),
    HasPrivateKey: () => false,
    Version: (c: X509Certificate2Value) => {
      const [tbs] = derChildren(readDer(c.raw, 0).body);
      const first = derChildren(tbs!.body)[0]!;
      return first.tag === 0xa0 ? (derChildren(first.body)[0]!.body[0] ?? 0) + 1 : 1;
    },
    FriendlyName: () => '',
  },
  methods: {
    GetRSAPublicKey: (c: X509Certificate2Value) => rsaPublicKey(c),
    GetNameInfo: (c: X509Certificate2Value, a) => nameInfo(c, a),
    Verify: (c: X509Certificate2Value, _a, site) => verify(c, site.rt),
    VerifyNoRevocation: (c: X509Certificate2Value, _a, site) => verifyNoRevocation(c, site.rt),
    GetCertHashString: (c: X509Certificate2Value) => c.thumbprint,
    GetSerialNumberString: (c: X509Certificate2Value) => hex(c.serial),
    // GetSerialNumber() is little-endian, as .NET documents.
    GetSerialNumber: (c: X509Certificate2Value) => c.serial.slice().reverse(),
    GetRawCertData: (c: X509Certificate2Value) => c.raw.slice(),
    Equals: (c: X509Certificate2Value, a) => a[0] instanceof X509Certificate2Value && Buffer.from(a[0].raw).equals(c.raw),
    ToString: (c: X509Certificate2Value) => c.typeName,
  },
};

/** Instance members: X500DistinguishedName. */
export const x500NameMembers: MemberTable = {
  props: { Name: (n: X500NameValue) => nameText(n.attrs) },
  methods: { ToString: (n: X500NameValue) => n.typeName },
};

/** Static members: X509Certificate2. */
export const x509Statics: MemberTable = {
  methods: {
    CreateFromPem: (_: unknown, a) => {
      if (a.length !== 1) return noOverload('CreateFromPem', a);
      const der = pemCertificate(strArg(a[0], 'certPem'));
      if (!der) return raise('System.Security.Cryptography.CryptographicException', 'No PEM encoded certificate was found.');
      return load(der);
    },
  },
};
