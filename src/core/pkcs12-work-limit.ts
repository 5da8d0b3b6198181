/**
 * The bound on the work a PKCS#12 (`.pfx`) file can ask for before it is opened. Every password
 * derivation in the file (the integrity MAC, each encrypted SafeContents, each shrouded key bag)
 * names its own iteration count, and neither node-forge nor OpenSSL caps it: a few hundred bytes
 * asking for 2^31 iterations would hold the process for hours. This walks the file's structure,
 * decrypting encrypted SafeContents (each within the bound) to see the key bags inside them, and
 * refuses a file whose counts add up to more than `pkcs12IterationLimit`.
 */
import forge from 'node-forge';

/**
 * The most iterations one file may ask for in total. OpenSSL and Windows use about 2,000 per
 * derivation (three in a usual file); a million is far above any real export and is a few
 * seconds of node-forge's pure JavaScript hashing.
 */
export const pkcs12IterationLimit = 1_000_000;

/** A PKCS#12 file whose password derivations ask for more work than Gatehouse does. */
export class Pkcs12WorkTooLarge extends Error {
  constructor(readonly iterations: number) {
    super(`the PFX file asks for ${iterations > Number.MAX_SAFE_INTEGER ? 'more than 2^53' : iterations} password iterations in total, more than the ${pkcs12IterationLimit} Gatehouse accepts; export it again with the tool's default settings`);
    this.name = 'Pkcs12WorkTooLarge';
  }
}

type Asn1 = forge.asn1.Asn1;
const { oids } = forge.pki;
const Universal = forge.asn1.Class.UNIVERSAL;
const Type = forge.asn1.Type;
/** node-forge's password-based cipher lookup, the one its PKCS#12 reader uses (@types/node-forge omits it). */
const passwordCiphers = (forge.pki as unknown as { pbe: { getCipher(oid: string, params: Asn1, password: string): forge.cipher.BlockCipher } }).pbe;

/**
 * Throws Pkcs12WorkTooLarge when the file's password derivations (seen with `password`) ask for
 * more than the limit; a file it cannot follow is left for the reader to refuse.
 */
export function checkPkcs12Work(pfx: Buffer, password: string): void {
  let root: Asn1;
  try {
    root = forge.asn1.fromDer(forge.util.createBuffer(pfx.toString('binary')));
  } catch {
    return;
  }
  const budget = { spent: 0 };
  const spend = (iterations: number) => {
    budget.spent += iterations;
    if (budget.spent > pkcs12IterationLimit) throw new Pkcs12WorkTooLarge(budget.spent);
  };
  // PFX ::= SEQUENCE { version, authSafe ContentInfo, macData MacData OPTIONAL }
  const [, authSafe, macData] = children(root);
  // MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
  if (macData) {
    const count = children(macData)[2];
    spend(count && isUniversal(count, Type.INTEGER) ? integerValue(count) : 1);
  }
  const safes = authSafe && contentOf(authSafe, oids.data);
  if (safes === undefined) return;
  for (const contentInfo of children(parse(safes))) {
    const type = oidOf(children(contentInfo)[0]);
    if (type === oids.data) {
      const data = contentOf(contentInfo, oids.data);
      if (data !== undefined) checkSafeBags(parse(data), spend);
    } else if (type === oids.encryptedData) {
      const plain = decryptedSafeContents(contentInfo, password, spend);
      if (plain !== undefined) checkSafeBags(parse(plain), spend);
    }
  }
}

/** Spends the iterations of each shrouded key bag in a SafeContents. */
function checkSafeBags(safeContents: Asn1 | undefined, spend: (iterations: number) => void): void {
  for (const bag of children(safeContents)) {
    const [bagId, wrapped] = children(bag);
    if (oidOf(bagId) !== oids.pkcs8ShroudedKeyBag) continue;
    // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm AlgorithmIdentifier, encryptedData }
    const algorithm = children(children(wrapped)[0])[0];
    if (algorithm) spend(iterationsOf(algorithm));
  }
}

/**
 * The plaintext of an encrypted SafeContents (ContentInfo of EncryptedData), decrypted as
 * node-forge will decrypt it, after spending its iterations; undefined when it does not decrypt.
 */
function decryptedSafeContents(contentInfo: Asn1, password: string, spend: (iterations: number) => void): string | undefined {
  // ContentInfo [0] → EncryptedData ::= SEQUENCE { version, EncryptedContentInfo }
  const encryptedData = children(children(contentInfo)[1])[0];
  // EncryptedContentInfo ::= SEQUENCE { contentType, contentEncryptionAlgorithm, [0] IMPLICIT encryptedContent }
  const [, algorithm, content] = children(children(encryptedData)[1]);
  if (!algorithm || !content) return undefined;
  spend(iterationsOf(algorithm));
  const [algorithmOid, params] = children(algorithm);
  try {
    const cipher = passwordCiphers.getCipher(oidOf(algorithmOid) ?? '', params!, password);
    cipher.update(forge.util.createBuffer(octets(content)));
    return cipher.finish() ? cipher.output.getBytes() : undefined;
  } catch {
    return undefined;
  }
}

/** The iteration count a password-based AlgorithmIdentifier asks for (0 for one node-forge does not compute). */
function iterationsOf(algorithm: Asn1): number {
  const [id, params] = children(algorithm);
  const oid = oidOf(id);
  let count: Asn1 | undefined;
  if (oid === oids.pkcs5PBES2) {
    // PBES2-params ::= SEQUENCE { keyDerivationFunc { PBKDF2, PBKDF2-params { salt, iterationCount, … } }, encryptionScheme }
    count = children(children(children(params)[0])[1])[1];
  } else if (oid === oids['pbeWithSHAAnd3-KeyTripleDES-CBC'] || oid === oids['pbewithSHAAnd40BitRC2-CBC']) {
    // pkcs-12PbeParams ::= SEQUENCE { salt, iterations }; the key and the IV each take them.
    const iterations = children(params)[1];
    return iterations && isUniversal(iterations, Type.INTEGER) ? 2 * integerValue(iterations) : 0;
  }
  return count && isUniversal(count, Type.INTEGER) ? integerValue(count) : 0;
}

/** The bytes (binary string) inside a ContentInfo of `type`: its [0] OCTET STRING. */
function contentOf(contentInfo: Asn1, type: string): string | undefined {
  const [contentType, explicit] = children(contentInfo);
  if (oidOf(contentType) !== type) return undefined;
  const inner = children(explicit)[0];
  return inner && inner.tagClass === Universal && inner.type === Type.OCTETSTRING ? octets(inner) : undefined;
}

/** An OCTET STRING's bytes, joining the chunks of a constructed (BER) one. */
function octets(node: Asn1): string {
  return Array.isArray(node.value) ? node.value.map(octets).join('') : String(node.value);
}

/** An unsigned INTEGER's value; Infinity beyond 2^53 (no real count is that long). */
function integerValue(node: Asn1): number {
  const bytes = (node.value as string).replace(/^\0+/, '');
  if (bytes.length > 6) return Infinity;
  let value = 0;
  for (let i = 0; i < bytes.length; i++) value = value * 256 + bytes.charCodeAt(i);
  return value;
}

function parse(bytes: string): Asn1 | undefined {
  try {
    return forge.asn1.fromDer(forge.util.createBuffer(bytes));
  } catch {
    return undefined;
  }
}

function children(node: Asn1 | undefined): Asn1[] {
  return node && Array.isArray(node.value) ? node.value : [];
}

function oidOf(node: Asn1 | undefined): string | undefined {
  return node && isUniversal(node, Type.OID) ? forge.asn1.derToOid(node.value as string) : undefined;
}

function isUniversal(node: Asn1, type: number): boolean {
  return node.tagClass === Universal && node.type === type && !Array.isArray(node.value);
}
