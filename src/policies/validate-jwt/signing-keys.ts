/**
 * validate-jwt's `issuer-signing-keys/key` elements as verification keys (reference §3): a
 * base64 symmetric secret as the element text, or an RSA public key as base64url `n` and `e`.
 * `id` names the key for the token header's `kid`. `certificate-id` names a `certificates` resource
 * whose certificate's public key verifies (certificate-key.ts).
 */
import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import type { PolicyCompileContext } from '../../pipeline/policy-module.js';
import { attribute, childElements, type XmlElement } from '../../pipeline/xml.js';
import { certificatePublicKey } from './certificate-key.js';

export interface SigningKey {
  kid: string | undefined;
  key: KeyObject;
}

const keyAttributes = ['id', 'certificate-id', 'n', 'e'];
const plainSpec = { type: 'string' } as const;

/** Reads the keys of an `issuer-signing-keys` element; fails at compile time on a bad key. */
export function readSigningKeys(list: XmlElement, ctx: PolicyCompileContext): SigningKey[] {
  const keys: SigningKey[] = [];
  for (const element of childElements(list)) {
    if (element.name !== 'key') ctx.fail(element, `The element '${element.name}' is not allowed in '${list.name}'; expected 'key'.`);
    for (const attr of element.attributes) {
      if (!keyAttributes.includes(attr.name)) ctx.fail(attr, `The '${attr.name}' attribute is not declared.`);
    }
    const kid = ctx.string(element, 'id', plainSpec)?.constant;
    const certificateId = ctx.string(element, 'certificate-id', plainSpec)?.constant;
    const n = ctx.string(element, 'n', plainSpec)?.constant;
    const e = ctx.string(element, 'e', plainSpec)?.constant;
    if (certificateId !== undefined) {
      const at = attribute(element, 'certificate-id')!;
      if (n !== undefined || e !== undefined || ctx.text(element).constant?.trim()) ctx.fail(element, "A key is given by base64 text, 'n' and 'e', or 'certificate-id': only one of them.");
      const certificate = ctx.certificate(certificateId.trim());
      if (!certificate) ctx.fail(at, `Certificate with id '${certificateId}' could not be found.`);
      try {
        keys.push({ kid, key: certificatePublicKey(certificate) });
      } catch (err) {
        ctx.fail(at, `The certificate '${certificateId}' cannot give a key: ${(err as Error).message}.`);
      }
      continue;
    }
    if ((n === undefined) !== (e === undefined)) ctx.fail(element, "The 'n' and 'e' attributes must be specified together.");
    if (n !== undefined && e !== undefined) {
      let key: KeyObject | undefined;
      try {
        key = createPublicKey({ key: { kty: 'RSA', n: n.trim(), e: e.trim() }, format: 'jwk' });
      } catch (err) {
        ctx.fail(element, `The RSA key given by 'n' and 'e' is not valid: ${(err as Error).message}`);
      }
      // jose refuses RSA signatures from keys under 2048 bits, so such a key could never verify.
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
      if (bits < 2048) ctx.fail(element, `The RSA key given by 'n' and 'e' is not valid: its modulus has ${bits} bits, at least 2048 are required.`);
      keys.push({ kid, key });
      continue;
    }
    const text = ctx.text(element);
    if (!text.isConstant) ctx.fail(element, 'A signing key cannot be a policy expression.');
    const secret = text.constant!.replace(/\s+/g, '');
    if (secret === '') ctx.fail(element, "A key needs base64 text, 'n' and 'e', or 'certificate-id'.");
    if (!/^[A-Za-z0-9+/\-_]+={0,2}$/.test(secret)) ctx.fail(element, 'The key is not valid base64.');
    // Node's base64 decoder reads both the standard and the URL-safe alphabet.
    keys.push({ kid, key: createSecretKey(Buffer.from(secret, 'base64')) });
  }
  if (keys.length === 0) ctx.fail(list, `At least one 'key' element is required in '${list.name}'.`);
  return keys;
}
