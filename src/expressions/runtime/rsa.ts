/**
 * System.Security.Cryptography.RSA over node:crypto: key import/export (RSAParameters, SPKI,
 * PKCS#1, PKCS#8, PEM), SignData/VerifyData (PKCS#1 v1.5 and PSS with salt = hash length, as
 * .NET), SignHash/VerifyHash (PKCS#1 v1.5) and Encrypt/Decrypt (PKCS#1 v1.5 and OAEP).
 */
import crypto, { type KeyObject } from 'node:crypto';
import { raise } from '../errors.js';
import { isOutSlot, noOverload, strArg, type MemberTable } from './member-table.js';
import { bytesArg } from './crypto.js';
import type { OutSlot } from './values.js';
import type { Runtime } from './budget.js';

/** HashAlgorithmName (a struct holding the algorithm's name). */
export class HashAlgorithmNameValue {
  readonly typeName = 'System.Security.Cryptography.HashAlgorithmName';
  constructor(readonly name: string | null) {}
  toString(): string {
    return this.name ?? '';
  }
}

/** RSASignaturePadding.Pkcs1 / Pss. */
export class RsaSignaturePaddingValue {
  readonly typeName = 'System.Security.Cryptography.RSASignaturePadding';
  constructor(readonly mode: 'Pkcs1' | 'Pss') {}
  toString(): string {
    return this.mode;
  }
}

/** RSAEncryptionPadding.Pkcs1 / Oaep<hash>. */
export class RsaEncryptionPaddingValue {
  readonly typeName = 'System.Security.Cryptography.RSAEncryptionPadding';
  constructor(
    readonly mode: 'Pkcs1' | 'Oaep',
    readonly oaepHash: string | null,
  ) {}
  toString(): string {
    return this.mode + (this.oaepHash ?? '');
  }
}

const parameterNames = ['Modulus', 'Exponent', 'D', 'P', 'Q', 'DP', 'DQ', 'InverseQ'] as const;
type ParameterName = (typeof parameterNames)[number];
const jwkNames: Record<ParameterName, string> = { Modulus: 'n', Exponent: 'e', D: 'd', P: 'p', Q: 'q', DP: 'dp', DQ: 'dq', InverseQ: 'qi' };

/** RSAParameters (a struct of big-endian byte arrays; members assignable). */
export class RsaParametersValue {
  readonly typeName = 'System.Security.Cryptography.RSAParameters';
  readonly fields = new Map<ParameterName, Uint8Array | null>(parameterNames.map((n) => [n, null]));
  has(name: string): name is ParameterName {
    return this.fields.has(name as ParameterName);
  }
  toString(): string {
    return this.typeName;
  }
}

/** An RSA key (RSA.Create()): generated on first use unless a key is imported. */
export class RsaValue {
  readonly typeName = 'System.Security.Cryptography.RSACng';
  private key: KeyObject | null = null;
  /** The evaluation currently calling this object (set per call: objects outlive evaluations). */
  runtime: Runtime | null = null;
  constructor(private keySize = 2048) {}
  toString(): string {
    return this.typeName;
  }
  get size(): number {
    return this.key ? (this.key.asymmetricKeyDetails?.modulusLength ?? this.keySize) : this.keySize;
  }
  /** The key, generating one of KeySize bits when none was imported (as .NET does lazily). */
  current(): KeyObject {
    if (!this.key) {
      // Generation is synchronous and slow (~0.1 s for 2048 bits): cap the size and charge the time.
      if (this.keySize > maxGeneratedBits) cryptoError(`Generating keys larger than ${maxGeneratedBits} bits is not supported in policy expressions; import a key instead.`);
      this.key = crypto.generateKeyPairSync('rsa', { modulusLength: this.keySize }).privateKey;
      this.runtime?.checkTime();
    }
    return this.key;
  }
  set(key: KeyObject): void {
    if (key.asymmetricKeyType !== 'rsa') raise('System.Security.Cryptography.CryptographicException', 'ASN1 corrupted data.');
    this.key = key;
  }
  publicKey(): KeyObject {
    const k = this.current();
    return k.type === 'private' ? crypto.createPublicKey(k) : k;
  }
  privateKey(): KeyObject {
    const k = this.current();
    if (k.type !== 'private') return cryptoError('The key does not permit this operation.');
    return k;
  }
}

const maxGeneratedBits = 4096;

function cryptoError(message: string): never {
  return raise('System.Security.Cryptography.CryptographicException', message);
}

const nodeHash: Record<string, string> = { MD5: 'md5', SHA1: 'sha1', SHA256: 'sha256', SHA384: 'sha384', SHA512: 'sha512' };

function hashArg(v: unknown): string {
  if (!(v instanceof HashAlgorithmNameValue) || !v.name) return raise('System.ArgumentException', "The hash algorithm name cannot be null or empty. (Parameter 'hashAlgorithm')");
  return nodeHash[v.name.toUpperCase()] ?? cryptoError(`'${v.name}' is not a known hash algorithm.`);
}

function signaturePaddingArg(v: unknown): RsaSignaturePaddingValue {
  if (v === null) return raise('System.ArgumentNullException', "Value cannot be null. (Parameter 'padding')");
  if (!(v instanceof RsaSignaturePaddingValue)) return noOverload('padding', [v]);
  return v;
}

function encryptionPaddingArg(v: unknown): RsaEncryptionPaddingValue {
  if (v === null) return raise('System.ArgumentNullException', "Value cannot be null. (Parameter 'padding')");
  if (!(v instanceof RsaEncryptionPaddingValue)) return noOverload('padding', [v]);
  return v;
}

function padOptions(key: KeyObject, padding: RsaSignaturePaddingValue): crypto.SignKeyObjectInput {
  return padding.mode === 'Pss'
    ? { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST }
    : { key, padding: crypto.constants.RSA_PKCS1_PADDING };
}

/** DER DigestInfo prefixes for PKCS#1 v1.5 signatures over a precomputed hash. */
const digestInfo: Record<string, string> = {
  md5: '3020300c06082a864886f70d020505000410',
  sha1: '3021300906052b0e03021a05000414',
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

function bigEndian(b64url: string | undefined): Uint8Array | null {
  return b64url === undefined ? null : new Uint8Array(Buffer.from(b64url, 'base64url'));
}

function leftPad(bytes: Uint8Array | null, length: number): Uint8Array | null {
  if (!bytes || bytes.length >= length) return bytes;
  const out = new Uint8Array(length);
  out.set(bytes, length - bytes.length);
  return out;
}

function exportParameters(rsa: RsaValue, includePrivate: boolean): RsaParametersValue {
  const key = includePrivate ? rsa.privateKey() : rsa.publicKey();
  const jwk = key.export({ format: 'jwk' });
  const p = new RsaParametersValue();
  const n = bigEndian(jwk.n)!;
  const half = Math.ceil(n.length / 2);
  p.fields.set('Modulus', n);
  p.fields.set('Exponent', bigEndian(jwk.e));
  if (includePrivate) {
    // .NET pads D to the modulus length and the CRT values to half of it.
    p.fields.set('D', leftPad(bigEndian(jwk.d), n.length));
    for (const name of ['P', 'Q', 'DP', 'DQ', 'InverseQ'] as const) p.fields.set(name, leftPad(bigEndian((jwk as Record<string, string>)[jwkNames[name]]), half));
  }
  return p;
}

function importParameters(rsa: RsaValue, v: unknown): void {
  if (!(v instanceof RsaParametersValue)) return noOverload('ImportParameters', [v]);
  const f = v.fields;
  const modulus = f.get('Modulus');
  const exponent = f.get('Exponent');
  if (!modulus || !exponent || modulus.length === 0 || exponent.length === 0) return cryptoError('The specified RSA parameters are not valid. Exponent and Modulus are required. If D is present, it must have the same length as Modulus. If D is present, P, Q, DP, DQ, and InverseQ are required and must have half the length of Modulus, rounded up, otherwise they must be omitted.');
  const jwk: Record<string, string> = { kty: 'RSA' };
  const strip = (b: Uint8Array): string => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    return Buffer.from(b.subarray(i)).toString('base64url');
  };
  for (const name of parameterNames) {
    const b = f.get(name);
    if (b) jwk[jwkNames[name]] = strip(b);
  }
  try {
    if (f.get('D')) {
      const half = Math.ceil(modulus.length / 2);
      const crtOk = (['P', 'Q', 'DP', 'DQ', 'InverseQ'] as const).every((n) => f.get(n)?.length === half);
      if (f.get('D')!.length !== modulus.length || !crtOk) throw new Error('shape');
      rsa.set(crypto.createPrivateKey({ key: jwk, format: 'jwk' }));
    } else rsa.set(crypto.createPublicKey({ key: jwk, format: 'jwk' }));
  } catch {
    cryptoError('The specified RSA parameters are not valid. Exponent and Modulus are required. If D is present, it must have the same length as Modulus. If D is present, P, Q, DP, DQ, and InverseQ are required and must have half the length of Modulus, rounded up, otherwise they must be omitted.');
  }
}

/** Length of the DER element at the start of `b` (the `bytesRead` .NET reports). */
function derLength(b: Uint8Array): number {
  const first = b[1] ?? 0;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  let len = 0;
  for (let i = 0; i < count; i++) len = len * 256 + (b[2 + i] ?? 0);
  return 2 + count + len;
}

function importDer(rsa: RsaValue, args: unknown[], rt: Runtime, make: (der: Buffer) => KeyObject): undefined {
  const bytes = bytesArg(args[0], rt, 'source');
  try {
    rsa.set(make(Buffer.from(bytes)));
  } catch (err) {
    if (err instanceof Error && err.name === 'DotNetException') throw err;
    cryptoError('ASN1 corrupted data.');
  }
  const slot = args[1];
  if (isOutSlot(slot)) (slot as OutSlot).set(derLength(bytes));
  return undefined;
}

function importPem(rsa: RsaValue, text: string): undefined {
  const label = /-----BEGIN ([A-Z ]+)-----/.exec(text)?.[1];
  try {
    if (label === 'PRIVATE KEY' || label === 'RSA PRIVATE KEY') rsa.set(crypto.createPrivateKey(text));
    else if (label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY') rsa.set(crypto.createPublicKey(text));
    else throw new Error('label');
  } catch (err) {
    if (err instanceof Error && err.name === 'DotNetException') throw err;
    raise('System.ArgumentException', "No supported key formats were found. Check that the input represents the contents of a PEM-encoded key file, not the path to such a file. (Parameter 'input')");
  }
  return undefined;
}

/** PKCS#1 v1.5 decryption done here: OpenSSL in Node 20 refuses it (CVE-2023-46809) by default. */
function decryptPkcs1(key: KeyObject, data: Uint8Array): Uint8Array {
  let em: Buffer;
  try {
    em = crypto.privateDecrypt({ key, padding: crypto.constants.RSA_NO_PADDING }, data);
  } catch {
    return cryptoError('The parameter is incorrect.');
  }
  // EM = 0x00 0x02 PS (≥ 8 non-zero bytes) 0x00 M
  const separator = em.indexOf(0, 2);
  if (em[0] !== 0 || em[1] !== 2 || separator < 10) return cryptoError('The parameter is incorrect.');
  return new Uint8Array(em.subarray(separator + 1));
}

function encrypt(rsa: RsaValue, data: Uint8Array, padding: RsaEncryptionPaddingValue): Uint8Array {
  const key = rsa.publicKey();
  const k = Math.ceil(rsa.size / 8);
  const hashLength = padding.oaepHash ? crypto.createHash(nodeHash[padding.oaepHash]!).digest().length : 0;
  const max = padding.mode === 'Oaep' ? k - 2 * hashLength - 2 : k - 11;
  if (data.length > max) return cryptoError(`The message exceeds the maximum allowable length for the chosen options (${max}).`);
  const options = padding.mode === 'Oaep'
    ? { key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: nodeHash[padding.oaepHash!]! }
    : { key, padding: crypto.constants.RSA_PKCS1_PADDING };
  return new Uint8Array(crypto.publicEncrypt(options, data));
}

function decrypt(rsa: RsaValue, data: Uint8Array, padding: RsaEncryptionPaddingValue): Uint8Array {
  const key = rsa.privateKey();
  if (data.length !== Math.ceil(rsa.size / 8)) return cryptoError('The length of the data to decrypt is not valid for the size of this key.');
  if (padding.mode === 'Pkcs1') return decryptPkcs1(key, data);
  try {
    return new Uint8Array(crypto.privateDecrypt({ key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: nodeHash[padding.oaepHash!]! }, data));
  } catch {
    return cryptoError('The parameter is incorrect.');
  }
}

function signHash(rsa: RsaValue, hash: Uint8Array, alg: string, padding: RsaSignaturePaddingValue): Uint8Array {
  if (padding.mode !== 'Pkcs1') return raise('System.NotSupportedException', 'SignHash and VerifyHash support RSASignaturePadding.Pkcs1 only in Gatehouse.');
  if (hash.length !== crypto.createHash(alg).digest().length) return cryptoError('The provided hash value is not the expected size for the specified hash algorithm.');
  const block = Buffer.concat([Buffer.from(digestInfo[alg]!, 'hex'), hash]);
  return new Uint8Array(crypto.privateEncrypt({ key: rsa.privateKey(), padding: crypto.constants.RSA_PKCS1_PADDING }, block));
}

function verifyHash(rsa: RsaValue, hash: Uint8Array, signature: Uint8Array, alg: string, padding: RsaSignaturePaddingValue): boolean {
  if (padding.mode !== 'Pkcs1') return raise('System.NotSupportedException', 'SignHash and VerifyHash support RSASignaturePadding.Pkcs1 only in Gatehouse.');
  if (signature.length !== Math.ceil(rsa.size / 8)) return false;
  try {
    const block = crypto.publicDecrypt({ key: rsa.publicKey(), padding: crypto.constants.RSA_PKCS1_PADDING }, signature);
    return block.equals(Buffer.concat([Buffer.from(digestInfo[alg]!, 'hex'), hash]));
  } catch {
    return false;
  }
}

/** `RSA.Create()`, `RSA.Create(keySizeInBits)`, `RSA.Create(RSAParameters)`. */
function createRsa(args: unknown[]): RsaValue {
  if (args[0] instanceof RsaParametersValue) {
    const rsa = new RsaValue();
    importParameters(rsa, args[0]);
    return rsa;
  }
  if (typeof args[0] === 'number') {
    const bits = args[0];
    if (bits < 512 || bits > 16384 || bits % 8 !== 0) return cryptoError('Specified key is not a valid size for this algorithm.');
    return new RsaValue(bits);
  }
  return new RsaValue();
}

/** Static members of RSA, HashAlgorithmName, RSASignaturePadding and RSAEncryptionPadding. */
export const rsaStatics: Record<string, MemberTable> = {
  RSA: { methods: { Create: (_: unknown, a) => createRsa(a) } },
  HashAlgorithmName: {
    props: Object.fromEntries(Object.keys(nodeHash).map((n) => [n, () => new HashAlgorithmNameValue(n)])),
  },
  RSASignaturePadding: {
    props: { Pkcs1: () => new RsaSignaturePaddingValue('Pkcs1'), Pss: () => new RsaSignaturePaddingValue('Pss') },
  },
  RSAEncryptionPadding: {
    props: {
      Pkcs1: () => new RsaEncryptionPaddingValue('Pkcs1', null),
      OaepSHA1: () => new RsaEncryptionPaddingValue('Oaep', 'SHA1'),
      OaepSHA256: () => new RsaEncryptionPaddingValue('Oaep', 'SHA256'),
      OaepSHA384: () => new RsaEncryptionPaddingValue('Oaep', 'SHA384'),
      OaepSHA512: () => new RsaEncryptionPaddingValue('Oaep', 'SHA512'),
    },
  },
};

/** `new RSAParameters()` and `new HashAlgorithmName("SHA256")`. */
export function constructRsaType(type: string, args: unknown[]): unknown {
  if (type === 'HashAlgorithmName') return new HashAlgorithmNameValue(args[0] === undefined || args[0] === null ? null : strArg(args[0], 'name'));
  return new RsaParametersValue();
}

/** Assigns an RSAParameters field (`p.Modulus = bytes`); false when `target` is not one. */
export function setRsaParameter(target: unknown, name: string, value: unknown, rt: Runtime): boolean {
  if (!(target instanceof RsaParametersValue) || !target.has(name)) return false;
  target.fields.set(name, value === null ? null : bytesArg(value, rt, name));
  return true;
}

function rsaOf(v: unknown): RsaValue {
  return v as RsaValue;
}

/** Records the calling evaluation on the RSA object before each member runs. */
function bound(methods: NonNullable<MemberTable['methods']>): NonNullable<MemberTable['methods']> {
  return Object.fromEntries(Object.entries(methods).map(([name, fn]) => [name, (r: unknown, a: unknown[], site: Parameters<typeof fn>[2]) => {
    rsaOf(r).runtime = site.rt;
    site.rt.beforeCostly();
    return fn(r, a, site);
  }]));
}

/** Instance members of RSA. */
export const rsaMembers: MemberTable = {
  props: {
    KeySize: (r: unknown) => rsaOf(r).size,
    SignatureAlgorithm: () => 'RSA',
    KeyExchangeAlgorithm: () => 'RSA',
  },
  methods: bound({
    ImportParameters: (r: unknown, a) => {
      importParameters(rsaOf(r), a[0]);
      return undefined;
    },
    ExportParameters: (r: unknown, a) => exportParameters(rsaOf(r), a[0] === true),
    ImportSubjectPublicKeyInfo: (r: unknown, a, site) => importDer(rsaOf(r), a, site.rt, (der) => crypto.createPublicKey({ key: der, format: 'der', type: 'spki' })),
    ImportRSAPublicKey: (r: unknown, a, site) => importDer(rsaOf(r), a, site.rt, (der) => crypto.createPublicKey({ key: der, format: 'der', type: 'pkcs1' })),
    ImportPkcs8PrivateKey: (r: unknown, a, site) => importDer(rsaOf(r), a, site.rt, (der) => crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })),
    ImportRSAPrivateKey: (r: unknown, a, site) => importDer(rsaOf(r), a, site.rt, (der) => crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs1' })),
    ImportFromPem: (r: unknown, a) => importPem(rsaOf(r), strArg(a[0], 'input')),
    ExportSubjectPublicKeyInfo: (r: unknown) => new Uint8Array(rsaOf(r).publicKey().export({ format: 'der', type: 'spki' })),
    ExportRSAPublicKey: (r: unknown) => new Uint8Array(rsaOf(r).publicKey().export({ format: 'der', type: 'pkcs1' })),
    ExportPkcs8PrivateKey: (r: unknown) => new Uint8Array(rsaOf(r).privateKey().export({ format: 'der', type: 'pkcs8' })),
    ExportRSAPrivateKey: (r: unknown) => new Uint8Array(rsaOf(r).privateKey().export({ format: 'der', type: 'pkcs1' })),
    SignData: (r: unknown, a, site) => {
      const rsa = rsaOf(r);
      const data = bytesArg(a[0], site.rt, 'data');
      return new Uint8Array(crypto.sign(hashArg(a[1]), data, padOptions(rsa.privateKey(), signaturePaddingArg(a[2]))));
    },
    VerifyData: (r: unknown, a, site) => {
      const rsa = rsaOf(r);
      const data = bytesArg(a[0], site.rt, 'data');
      const signature = bytesArg(a[1], site.rt, 'signature');
      const alg = hashArg(a[2]);
      const padding = signaturePaddingArg(a[3]);
      if (signature.length !== Math.ceil(rsa.size / 8)) return false;
      return crypto.verify(alg, data, padOptions(rsa.publicKey(), padding), signature);
    },
    SignHash: (r: unknown, a, site) => signHash(rsaOf(r), bytesArg(a[0], site.rt, 'hash'), hashArg(a[1]), signaturePaddingArg(a[2])),
    VerifyHash: (r: unknown, a, site) => verifyHash(rsaOf(r), bytesArg(a[0], site.rt, 'hash'), bytesArg(a[1], site.rt, 'signature'), hashArg(a[2]), signaturePaddingArg(a[3])),
    Encrypt: (r: unknown, a, site) => encrypt(rsaOf(r), bytesArg(a[0], site.rt, 'data'), encryptionPaddingArg(a[1])),
    Decrypt: (r: unknown, a, site) => decrypt(rsaOf(r), bytesArg(a[0], site.rt, 'data'), encryptionPaddingArg(a[1])),
    Dispose: () => undefined,
    Clear: () => undefined,
  }),
};

/** Instance members of RSAParameters, HashAlgorithmName and the paddings. */
export const rsaHelperMembers: MemberTable = {
  props: {
    ...Object.fromEntries(parameterNames.map((n) => [n, (p: unknown) => (p instanceof RsaParametersValue ? p.fields.get(n) ?? null : noOverload(n, []))])),
    Name: (v: unknown) => (v instanceof HashAlgorithmNameValue ? v.name : noOverload('Name', [])),
    Mode: (v: unknown) => (v instanceof RsaSignaturePaddingValue || v instanceof RsaEncryptionPaddingValue ? v.mode : noOverload('Mode', [])),
    OaepHashAlgorithm: (v: unknown) => (v instanceof RsaEncryptionPaddingValue ? new HashAlgorithmNameValue(v.oaepHash) : noOverload('OaepHashAlgorithm', [])),
  },
  methods: {
    ToString: (v: unknown) => String(v),
    Equals: (v: unknown, a) => v !== null && a[0] !== null && typeof a[0] === 'object' && String(v) === String(a[0]) && (v as object).constructor === (a[0] as object).constructor,
  },
};
