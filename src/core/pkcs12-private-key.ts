/**
 * The private key of a certificate stored as a PKCS#12 (`.pfx`) file, as a Node KeyObject. Node
 * opens a PFX only inside its TLS stack and gives no key back, so node-forge reads the file (its
 * legacy 3DES/RC2 and PBES2/AES forms) after checkPkcs12Work has bounded the work it asks for; the
 * key leaves forge as PKCS#8 and everything done with it stays in Node's crypto.
 *
 * A file may hold several keys: the one taken is the key of the leaf certificate, the one OpenSSL
 * presents with its key and the certificates resource's thumbprint is computed from. Keys are
 * matched to it by public key, so forge never has to re-encode a certificate. Results are kept by
 * the hash of the file, password and leaf, so a snapshot rebuilt for every configuration change
 * reads each file once.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject, type X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { checkPkcs12Work } from './pkcs12-work-limit.js';

type Outcome = { ok: true; key: KeyObject } | { ok: false; reason: string };

/** How many files' outcomes are kept; a service has a handful of decryption certificates. */
const cacheSize = 64;
const outcomes = new Map<string, Outcome>();

/** The private key in `pfx`, opened with `password`, of the certificate `leaf`. Throws an Error saying why there is none. */
export function pkcs12PrivateKey(pfx: Buffer, password: string | undefined, leaf: X509Certificate): KeyObject {
  const id = createHash('sha256').update(pfx).update('\0').update(password ?? '\u0001none').update('\0').update(leaf.raw).digest('hex');
  let outcome = outcomes.get(id);
  if (outcome) {
    // Most recently used last, so the oldest is dropped first.
    outcomes.delete(id);
  } else {
    try {
      outcome = { ok: true, key: readPrivateKey(pfx, password, leaf) };
    } catch (err) {
      outcome = { ok: false, reason: (err as Error).message };
    }
    if (outcomes.size >= cacheSize) outcomes.delete(outcomes.keys().next().value!);
  }
  outcomes.set(id, outcome);
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.key;
}

function readPrivateKey(pfx: Buffer, password: string | undefined, leaf: X509Certificate): KeyObject {
  const file = openPkcs12(pfx, password);
  const bags = [forge.pki.oids.pkcs8ShroudedKeyBag, forge.pki.oids.keyBag].flatMap((bagType) => file.getBags({ bagType })[bagType] ?? []);
  if (bags.length === 0) throw new Error('the PFX file holds no private key');
  const wanted = leaf.publicKey.export({ type: 'spki', format: 'der' });
  for (const bag of bags) {
    const key = keyOf(bag);
    if (createPublicKey(key).export({ type: 'spki', format: 'der' }).equals(wanted)) return key;
  }
  const thumbprint = leaf.fingerprint.replace(/:/g, '');
  throw new Error(bags.length === 1 ? `the private key in the PFX file is not the key of its certificate ${thumbprint}` : `none of the ${bags.length} private keys in the PFX file is the key of its certificate ${thumbprint}`);
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
