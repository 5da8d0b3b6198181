/**
 * `decryption-keys` of validate-jwt and validate-azure-ad-token: encrypted tokens (compact JWE)
 * are decrypted with each configured key until one succeeds (Azure: "each key is tried until
 * either all keys are exhausted … or a key succeeds"), then the token inside is validated as any
 * other. Keys are base64 symmetric keys, for direct encryption (`dir`) or AES key wrap
 * (A128KW/A192KW/A256KW), or the RSA private key of a stored certificate (`certificate-id`, a PFX
 * or PEM with its key) for RSA-OAEP and RSA-OAEP-256 key management, with Azure's content encryption
 * algorithms A128CBC-HS256, A192CBC-HS384 and A256CBC-HS512. RSA1_5 is not taken: Node 20 refuses
 * PKCS#1 v1.5 private decryption (CVE-2023-46809).
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import { compactDecrypt, decodeProtectedHeader } from 'jose';
import { checkChildAttributes } from '../../pipeline/child-attributes.js';
import type { AttributeSpec, PolicyCompileContext } from '../../pipeline/policy-module.js';
import { attribute, childElements, type XmlAttribute, type XmlElement } from '../../pipeline/xml.js';
import { certificatePrivateKey } from './certificate-key.js';
import { TokenRejected } from './token-checks.js';

export interface DecryptionKey {
  kid: string | undefined;
  key: KeyObject;
  /** The JWE `alg` values (key management) this key decrypts. */
  algorithms: readonly string[];
}

/** Azure's encryption algorithms for validate-jwt. */
export const contentEncryptionAlgorithms = ['A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512'];
const symmetricKeyAlgorithms = ['dir', 'A128KW', 'A192KW', 'A256KW'];
const rsaKeyAlgorithms = ['RSA-OAEP', 'RSA-OAEP-256'];
/** jose (and RFC 7518) take no RSA key under 2048 bits. */
const minimumRsaBits = 2048;
/** Key lengths in bytes a symmetric key may have: AES key wrap (16, 24, 32) or a direct CBC-HMAC key (32, 48, 64). */
const usableKeyLengths = [16, 24, 32, 48, 64];
const plain: AttributeSpec = { type: 'string' };
const keyAttributes: Readonly<Record<string, AttributeSpec>> = { id: plain, 'certificate-id': plain, n: plain, e: plain };

/** Reads the keys of a `decryption-keys` element; fails at compile time on a key that cannot decrypt. */
export function readDecryptionKeys(list: XmlElement, ctx: PolicyCompileContext): DecryptionKey[] {
  const keys: DecryptionKey[] = [];
  for (const element of childElements(list)) {
    if (element.name !== 'key') ctx.fail(element, `The element '${element.name}' is not allowed in '${list.name}'; expected 'key'.`);
    checkChildAttributes(element, keyAttributes, ctx);
    if (attribute(element, 'n') || attribute(element, 'e')) ctx.fail(element, "An RSA public key ('n' and 'e') cannot decrypt a token: give the symmetric key as base64 text, or 'certificate-id'.");
    const kid = ctx.string(element, 'id', plain)?.constant;
    const text = ctx.text(element);
    const certificateId = ctx.string(element, 'certificate-id', plain)?.constant;
    if (certificateId !== undefined) {
      if (!text.isConstant || text.constant!.trim() !== '') ctx.fail(element, "A decryption key is given by base64 text or 'certificate-id': only one of them.");
      keys.push({ kid, key: certificateDecryptionKey(attribute(element, 'certificate-id')!, certificateId, ctx), algorithms: rsaKeyAlgorithms });
      continue;
    }
    if (!text.isConstant) ctx.fail(element, 'A decryption key cannot be a policy expression.');
    const secret = text.constant!.replace(/\s+/g, '');
    if (secret === '') ctx.fail(element, 'A decryption key needs base64 text.');
    if (!/^[A-Za-z0-9+/\-_]+={0,2}$/.test(secret)) ctx.fail(element, 'The key is not valid base64.');
    const bytes = Buffer.from(secret, 'base64');
    if (!usableKeyLengths.includes(bytes.length)) {
      ctx.fail(element, `A decryption key of ${bytes.length} bytes fits none of A128KW, A192KW, A256KW (16, 24, 32) or direct A128CBC-HS256, A192CBC-HS384, A256CBC-HS512 (32, 48, 64).`);
    }
    keys.push({ kid, key: createSecretKey(bytes), algorithms: symmetricKeyAlgorithms });
  }
  if (keys.length === 0) ctx.fail(list, `At least one 'key' element is required in '${list.name}'.`);
  return keys;
}

/** The RSA private key of the certificate `certificate-id` names; fails at compile time when there is none. */
function certificateDecryptionKey(at: XmlAttribute, certificateId: string, ctx: PolicyCompileContext): KeyObject {
  const certificate = ctx.certificate(certificateId.trim());
  if (!certificate) ctx.fail(at, `Certificate with id '${certificateId}' could not be found.`);
  let key: KeyObject;
  try {
    key = certificatePrivateKey(certificate);
  } catch (err) {
    ctx.fail(at, `The certificate '${certificateId}' cannot decrypt tokens: ${(err as Error).message.replace(/\.$/, '')}.`);
  }
  if (key.asymmetricKeyType !== 'rsa') ctx.fail(at, `The certificate '${certificateId}' cannot decrypt tokens: its key is ${key.asymmetricKeyType ?? 'not asymmetric'}, RSA (RSA-OAEP, RSA-OAEP-256) is required.`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < minimumRsaBits) ctx.fail(at, `The certificate '${certificateId}' cannot decrypt tokens: its RSA key has ${bits} bits, at least ${minimumRsaBits} are required.`);
  return key;
}

/** True for a compact JWE (five parts). */
export function isEncrypted(token: string): boolean {
  return token.split('.').length === 5;
}

/**
 * The token inside a compact JWE: the nested JWS, or, when the plaintext is a claims set, an
 * unsigned JWT of it (so require-signed-tokens decides). Throws TokenRejected when no key decrypts.
 */
export async function decryptToken(token: string, keys: readonly DecryptionKey[]): Promise<string> {
  if (keys.length === 0) throw new TokenRejected('JwtInvalid', 'The token is encrypted (JWE) and no decryption-keys are configured.');
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch (err) {
    throw new TokenRejected('JwtInvalid', (err as Error).message);
  }
  // Keys named by the token's kid first, then the keys without an id, as for signing keys.
  const named = kid === undefined ? [] : keys.filter((k) => k.kid === kid);
  const candidates = named.length > 0 ? named : keys.filter((k) => k.kid === undefined || kid === undefined);
  for (const { key, algorithms } of candidates) {
    let plaintext: Uint8Array;
    try {
      ({ plaintext } = await compactDecrypt(token, key, { keyManagementAlgorithms: [...algorithms], contentEncryptionAlgorithms }));
    } catch {
      continue;
    }
    const inner = Buffer.from(plaintext).toString('utf8').trim();
    if (inner.split('.').length === 3 && !inner.startsWith('{')) return inner;
    return `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(inner, 'utf8').toString('base64url')}.`;
  }
  throw new TokenRejected('JwtInvalid', 'Decryption failed: none of the decryption keys could decrypt the token. Access denied.');
}
