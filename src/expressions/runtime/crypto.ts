/**
 * Encoding (UTF8, ASCII, Unicode), hash algorithms (SHA1/256/384/512, MD5) and HMACs, on
 * node:crypto. Keys and data are byte[] (Uint8Array).
 */
import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';
import { raise } from '../errors.js';
import { noOverload, strArg, type MemberTable } from './member-table.js';
import { toArray } from './sequence.js';
import { toNumber } from './values.js';
import type { Runtime } from './budget.js';

/** The runtime value of Encoding. */
export class EncodingValue {
  readonly typeName = 'System.Text.Encoding';
  constructor(readonly name: 'utf-8' | 'us-ascii' | 'utf-16' | 'iso-8859-1' | 'utf-16BE') {}
  toString(): string {
    return this.name === 'utf-8' ? 'System.Text.UTF8Encoding' : 'System.Text.Encoding';
  }
}

/** The runtime value of HashAlgorithm. */
export class HashAlgorithmValue {
  readonly typeName: string;
  constructor(
    readonly algorithm: string,
    readonly key: Uint8Array | null,
  ) {
    this.typeName = `System.Security.Cryptography.${key ? 'HMAC' : ''}${algorithm.toUpperCase()}`;
  }
}

/** Bytes from a byte[] or any sequence of ints. */
export function bytesArg(v: unknown, rt: Runtime, param = 'bytes'): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (v === null || v === undefined) return raise('System.ArgumentNullException', `Value cannot be null. (Parameter '${param}')`);
  return Uint8Array.from(toArray(v, rt).map((x) => toNumber(x) & 255));
}

function encode(enc: EncodingValue, s: string): Uint8Array {
  switch (enc.name) {
    case 'utf-8': return new Uint8Array(Buffer.from(s, 'utf8'));
    case 'us-ascii': return Uint8Array.from(s, (c) => (c.charCodeAt(0) < 128 ? c.charCodeAt(0) : 63));
    case 'iso-8859-1': return Uint8Array.from(s, (c) => (c.charCodeAt(0) < 256 ? c.charCodeAt(0) : 63));
    case 'utf-16': return new Uint8Array(Buffer.from(s, 'utf16le'));
    case 'utf-16BE': return new Uint8Array(Buffer.from(s, 'utf16le').swap16());
  }
}

function decode(enc: EncodingValue, b: Uint8Array): string {
  switch (enc.name) {
    case 'utf-8': return Buffer.from(b).toString('utf8');
    case 'us-ascii': return Array.from(b, (x) => (x < 128 ? String.fromCharCode(x) : '?')).join('');
    case 'iso-8859-1': return Buffer.from(b).toString('latin1');
    case 'utf-16': return Buffer.from(b).toString('utf16le');
    case 'utf-16BE': return Buffer.from(b).swap16().toString('utf16le');
  }
}

/** Static members: encoding. */
export const encodingStatics: MemberTable = {
  props: {
    UTF8: () => new EncodingValue('utf-8'),
    ASCII: () => new EncodingValue('us-ascii'),
    Unicode: () => new EncodingValue('utf-16'),
    BigEndianUnicode: () => new EncodingValue('utf-16BE'),
    Latin1: () => new EncodingValue('iso-8859-1'),
    Default: () => new EncodingValue('utf-8'),
  },
  methods: {
    GetEncoding: (_: unknown, a) => {
      const name = String(a[0]).toLowerCase();
      if (name === 'utf-8' || name === 'utf8') return new EncodingValue('utf-8');
      if (name === 'us-ascii' || name === 'ascii') return new EncodingValue('us-ascii');
      if (name === 'iso-8859-1' || name === 'latin1' || name === '28591') return new EncodingValue('iso-8859-1');
      if (name === 'utf-16' || name === 'unicode') return new EncodingValue('utf-16');
      return raise('System.ArgumentException', `'${String(a[0])}' is not a supported encoding name.`);
    },
  },
};

/** Instance members: encoding. */
export const encodingMembers: MemberTable = {
  props: {
    WebName: (e: EncodingValue) => e.name,
    EncodingName: (e: EncodingValue) => e.name,
  },
  methods: {
    GetBytes: (e: EncodingValue, a, site) => {
      const s = strArg(a[0], 's');
      site.rt.checkSize(s.length * 3);
      return encode(e, s);
    },
    GetString: (e: EncodingValue, a, site) => {
      const b = bytesArg(a[0], site.rt);
      if (a.length === 3) return decode(e, b.subarray(Number(a[1]), Number(a[1]) + Number(a[2])));
      return decode(e, b);
    },
    GetByteCount: (e: EncodingValue, a) => encode(e, strArg(a[0], 's')).length,
  },
};

const algorithms: Record<string, string> = { SHA1: 'sha1', SHA256: 'sha256', SHA384: 'sha384', SHA512: 'sha512', MD5: 'md5' };

/** SHA256.Create() and friends; `new HMACSHA256(key)`. */
export function hashStatics(typeName: string): MemberTable {
  const isHmac = typeName.startsWith('HMAC');
  const algorithm = algorithms[isHmac ? typeName.slice(4) : typeName]!;
  return {
    methods: {
      Create: () => new HashAlgorithmValue(algorithm, isHmac ? new Uint8Array(64) : null),
      HashData: (_: unknown, a, site) => {
        const source = bytesArg(a[isHmac ? 1 : 0], site.rt, 'source');
        // Hashing a large input takes milliseconds: the budget is checked before it starts.
        site.rt.work(source.length);
        if (isHmac) return new Uint8Array(createHmac(algorithm, bytesArg(a[0], site.rt, 'key')).update(source).digest());
        return new Uint8Array(createHash(algorithm).update(source).digest());
      },
    },
  };
}

/** `new HMACSHA256(key)` / `new SHA256Managed()`. */
export function constructHash(typeName: string, args: unknown[], rt: Runtime): HashAlgorithmValue {
  const isHmac = typeName.startsWith('HMAC');
  const algorithm = algorithms[isHmac ? typeName.slice(4) : typeName.replace(/Managed$/, '')];
  if (!algorithm) return noOverload(typeName, args);
  return new HashAlgorithmValue(algorithm, isHmac ? (args.length ? bytesArg(args[0], rt, 'key') : new Uint8Array(64)) : null);
}

/** Instance members: hash. */
export const hashMembers: MemberTable = {
  props: {
    Key: (h: HashAlgorithmValue) => h.key,
    HashSize: (h: HashAlgorithmValue) => createHash(h.algorithm).digest().length * 8,
  },
  methods: {
    ComputeHash: (h: HashAlgorithmValue, a, site) => {
      let data = bytesArg(a[0], site.rt, 'buffer');
      if (a.length === 3) data = data.subarray(Number(a[1]), Number(a[1]) + Number(a[2]));
      site.rt.work(data.length);
      const digest = h.key ? createHmac(h.algorithm, h.key).update(data).digest() : createHash(h.algorithm).update(data).digest();
      return new Uint8Array(digest);
    },
    Dispose: () => undefined,
    Clear: () => undefined,
  },
};

/** APIM's `byte[].Encrypt(alg, key, iv)` / `Decrypt(…)`: CBC with PKCS7 padding. */
export function symmetric(encrypt: boolean, input: Uint8Array, alg: string, key: Uint8Array, iv: Uint8Array): Uint8Array {
  const name = alg.toLowerCase();
  let cipher: string;
  if (name === 'aes' || name === 'rijndael' || name === 'aesmanaged' || name === 'aescryptoserviceprovider') {
    if (![16, 24, 32].includes(key.length)) return raise('System.Security.Cryptography.CryptographicException', 'Specified key is not a valid size for this algorithm.');
    cipher = `aes-${key.length * 8}-cbc`;
  } else if (name === 'tripledes' || name === '3des') cipher = key.length === 16 ? 'des-ede-cbc' : 'des-ede3-cbc';
  else return raise('System.ArgumentException', `Algorithm '${alg}' is not supported.`);
  try {
    const c = encrypt ? createCipheriv(cipher, key, iv) : createDecipheriv(cipher, key, iv);
    return new Uint8Array(Buffer.concat([c.update(input), c.final()]));
  } catch (err) {
    return raise('System.Security.Cryptography.CryptographicException', (err as Error).message);
  }
}
