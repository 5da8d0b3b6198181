/**
 * PKCS#12 files built piece by piece with node-forge, for the shapes openssl does not write:
 * several keys in one file, a shrouded key bag inside an encrypted SafeContents, an iteration
 * count declared as anything (and openssl's own file with its MAC count raised). Files are made without a MAC (PKCS#12 allows it; readers then rely on
 * the encryption alone), so a count can be changed after the parts are encrypted.
 */
import forge from 'node-forge';

const { asn1 } = forge;
const { oids } = forge.pki;
type Asn1 = forge.asn1.Asn1;

const sequence = (...items: Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
const oid = (id: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(id).getBytes());
const explicit = (inner: Asn1) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [inner]);
const octetString = (bytes: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes);
const integer = (value: number) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(value).getBytes());
const der = (node: Asn1) => asn1.toDer(node).getBytes();

/** A SafeBag holding `pemKey` encrypted with PBES2/AES-256 and 2048 iterations. */
export function shroudedKeyBag(pemKey: string, password: string): Asn1 {
  const info = forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(forge.pki.privateKeyFromPem(pemKey)));
  const encrypted = forge.pki.encryptPrivateKeyInfo(info, password, { algorithm: 'aes256', count: 2048 });
  return sequence(oid(oids.pkcs8ShroudedKeyBag), explicit(encrypted));
}

/** A SafeBag holding the PEM certificate. */
export function certificateBag(pemCertificate: string): Asn1 {
  const certificateDer = der(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(pemCertificate)));
  return sequence(oid(oids.certBag), explicit(sequence(oid(oids.x509Certificate), explicit(octetString(certificateDer)))));
}

/** A ContentInfo of plain Data holding the bags. */
export function plainSafe(bags: Asn1[]): Asn1 {
  return sequence(oid(oids.data), explicit(octetString(der(sequence(...bags)))));
}

/** A ContentInfo of EncryptedData holding the bags, PBES2/AES-256 with 2048 iterations (or saying `declaredIterations`). */
export function encryptedSafe(bags: Asn1[], password: string, declaredIterations?: number): Asn1 {
  // encryptPrivateKeyInfo encrypts any structure: its AlgorithmIdentifier and ciphertext are EncryptedContentInfo's.
  const [algorithm, ciphertext] = forge.pki.encryptPrivateKeyInfo(sequence(...bags), password, { algorithm: 'aes256', count: 2048 }).value as Asn1[];
  if (declaredIterations !== undefined) setPbes2Iterations(algorithm, declaredIterations);
  const content = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, ciphertext.value as string);
  return sequence(oid(oids.encryptedData), explicit(sequence(integer(0), sequence(oid(oids.data), algorithm, content))));
}

/** A PFX (base64, no MAC) of the ContentInfos. */
export function pfxOf(safes: Asn1[]): string {
  const authSafe = sequence(...safes);
  const pfx = sequence(integer(3), sequence(oid(oids.data), explicit(octetString(der(authSafe)))));
  return Buffer.from(der(pfx), 'binary').toString('base64');
}

/** Sets the PBES2 iteration count of a shrouded key bag made by shroudedKeyBag (after encryption). */
export function withIterations(bag: Asn1, iterations: number): Asn1 {
  // SafeBag → [0] → EncryptedPrivateKeyInfo → AlgorithmIdentifier
  setPbes2Iterations((((bag.value as Asn1[])[1].value as Asn1[])[0].value as Asn1[])[0], iterations);
  return bag;
}

function setPbes2Iterations(algorithm: Asn1, iterations: number): void {
  // AlgorithmIdentifier → PBES2-params → keyDerivationFunc → PBKDF2-params → iterationCount
  const pbkdf2Params = (((algorithm.value as Asn1[])[1].value as Asn1[])[0].value as Asn1[])[1];
  (pbkdf2Params.value as Asn1[])[1] = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, bigEndian(iterations));
}

/**
 * A PFX openssl wrote with `-iter 65536` whose MAC iteration count now says 8,388,607: the last
 * `INTEGER 65536` (02 03 01 00 00) in the file is the MAC's, changed in place so no length moves.
 */
export function withMacIterations(pfx: Buffer): Buffer {
  const at = pfx.lastIndexOf(Buffer.from('0203010000', 'hex'));
  if (at < 0) throw new Error('the file has no 3-byte iteration count 65536: write it with -iter 65536');
  const patched = Buffer.from(pfx);
  Buffer.from('7fffff', 'hex').copy(patched, at + 2);
  return patched;
}

/** A non-negative integer's minimal big-endian two's-complement bytes, any size. */
function bigEndian(value: number): string {
  let hex = value.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = '00' + hex;
  return Buffer.from(hex, 'hex').toString('binary');
}
