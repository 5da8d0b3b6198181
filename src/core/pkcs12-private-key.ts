/**
 * The private key of a certificate stored as a PKCS#12 (`.pfx`) file, as a Node KeyObject. Node
 * opens a PFX only inside its TLS stack and gives no key back, so node-forge reads the file (its
 * legacy 3DES/RC2 and PBES2/AES forms) after checkPkcs12Work has bounded the work it asks for; the
 * key leaves forge as PKCS#8 and everything done with it stays in Node's crypto.
 *
 * A file may hold several keys: the one taken is the key whose certificate in the file has the
 * stored certificate's thumbprint (the leaf OpenSSL presents with its key, which is what the
 * thumbprint was computed from). Results are kept by the file's and password's hash, so a
 * snapshot rebuilt for every configuration change reads each file once.
 */
import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { checkPkcs12Work } from './pkcs12-work-limit.js';

/** A private key from a PFX file and the certificate it belongs to. */
export interface Pkcs12PrivateKey {
  key: KeyObject;
  certificate: X509Certificate;
}

type Outcome = { ok: true; value: Pkcs12PrivateKey } | { ok: false; reason: string };

/** How many files' outcomes are kept; a service has a handful of decryption certificates. */
const cacheSize = 64;
const outcomes = new Map<string, Outcome>();

/**
 * The private key of `pfx` opened with `password` whose certificate has `thumbprint` (SHA-1 hex,
 * any case; when empty, the file must hold exactly one key). Throws an Error saying why not.
 */
export function pkcs12PrivateKey(pfx: Buffer, password: string | undefined, thumbprint: string): Pkcs12PrivateKey {
  const id = createHash('sha256').update(pfx).update('\0').update(password ?? '\u0001none').update('\0').update(thumbprint.toUpperCase()).digest('hex');
  let outcome = outcomes.get(id);
  if (outcome) {
    // Most recently used last, so the oldest is dropped first.
    outcomes.delete(id);
  } else {
    try {
      outcome = { ok: true, value: readPrivateKey(pfx, password, thumbprint.trim().toUpperCase()) };
    } catch (err) {
      outcome = { ok: false, reason: (err as Error).message };
    }
    if (outcomes.size >= cacheSize) outcomes.delete(outcomes.keys().next().value!);
  }
  outcomes.set(id, outcome);
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.value;
}

function readPrivateKey(pfx: Buffer, password: string | undefined, thumbprint: string): Pkcs12PrivateKey {
  const file = openPkcs12(pfx, password);
  const keys = file.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? [];
  keys.push(...(file.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []));
  if (keys.length === 0) throw new Error('the PFX file holds no private key');
  const certificates = (file.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? []).flatMap(certificateOf);
  const pairs: Pkcs12PrivateKey[] = [];
  for (const bag of keys) {
    const key = keyOf(bag);
    const publicDer = createPublicKey(key).export({ type: 'spki', format: 'der' });
    for (const certificate of certificates) {
      if (certificate.publicKey.export({ type: 'spki', format: 'der' }).equals(publicDer)) pairs.push({ key, certificate });
    }
  }
  if (pairs.length === 0) throw new Error('no private key in the PFX file belongs to a certificate in it');
  if (thumbprint === '') {
    if (pairs.length > 1) throw new Error(`the PFX file holds ${pairs.length} certificates with private keys and none is named by a thumbprint`);
    return pairs[0];
  }
  const match = pairs.find((p) => p.certificate.fingerprint.replace(/:/g, '') === thumbprint);
  if (!match) throw new Error(`no private key in the PFX file belongs to its certificate ${thumbprint}`);
  return match;
}

/**
 * The file opened with its password. PKCS#12 tells an empty password from none, and tools write
 * either for "no password", so both are tried then, as OpenSSL does.
 */
function openPkcs12(pfx: Buffer, password: string | undefined): forge.pkcs12.Pkcs12Pfx {
  const passwords: Array<string | undefined> = password === undefined || password === '' ? ['', undefined] : [password];
  let failure: Error | undefined;
  for (const candidate of passwords) {
    checkPkcs12Work(pfx, candidate ?? '');
    try {
      const der = forge.asn1.fromDer(forge.util.createBuffer(pfx.toString('binary')));
      return forge.pkcs12.pkcs12FromAsn1(der, true, candidate as string);
    } catch (err) {
      failure ??= err as Error;
    }
  }
  if (/invalid password|wrong password|MAC could not be verified|Failed to decrypt|Unable to decrypt/i.test(failure!.message)) {
    // node-forge derives PBES2 (AES) keys from the password's UTF-16 code units, OpenSSL from its UTF-8 bytes.
    const ascii = password === undefined || /^[\x20-\x7e]*$/.test(password);
    throw new Error(`the password is not valid for its PFX file${ascii ? '' : ' (a PFX encrypted with AES is read only with an ASCII password)'}`);
  }
  throw new Error(`the PFX file cannot be read (${failure!.message})`);
}

/** The bag's key as a Node KeyObject, by way of PKCS#8 DER (forge keeps a non-RSA key as its ASN.1). */
function keyOf(bag: forge.pkcs12.Bag): KeyObject {
  const info = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : (bag.asn1 as forge.asn1.Asn1 | undefined);
  if (!info) throw new Error('a private key in the PFX file cannot be read');
  try {
    return createPrivateKey({ key: Buffer.from(forge.asn1.toDer(info).getBytes(), 'binary'), format: 'der', type: 'pkcs8' });
  } catch (err) {
    throw new Error(`a private key in the PFX file cannot be read (${(err as Error).message})`);
  }
}

/** The bag's certificate for Node; a bag forge cannot read is skipped. */
function certificateOf(bag: forge.pkcs12.Bag): X509Certificate[] {
  const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : (bag.asn1 as forge.asn1.Asn1 | undefined);
  if (!asn1) return [];
  try {
    return [new X509Certificate(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'))];
  } catch {
    return [];
  }
}
