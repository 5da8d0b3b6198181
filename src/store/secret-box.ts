/**
 * Secrets at rest (DESIGN.md "Conventions": subscription keys, secret named values, gateway
 * tokens): AES-256-GCM seal and open of strings.
 *
 * Sealed text is `gh1:<key id>:<base64url of IV ‖ tag ‖ ciphertext>`: `gh1` names this format
 * so a later one can be told apart, the key id (the first 8 hex digits of SHA-256 of the key)
 * tells "sealed with another key" apart from "damaged", and the random 96-bit IV makes two
 * seals of the same secret differ. An optional context (such as the entity id) is bound as
 * additional authenticated data, so a sealed value copied to another entity does not open.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const FORMAT = 'gh1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The length of an AES-256 key in bytes. */
export const SECRET_KEY_BYTES = 32;

/** A sealed value cannot be opened: wrong key, damaged or not sealed text. Never carries the secret. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/** Seals and opens strings with one AES-256-GCM key. */
export class SecretBox {
  /** Identifies the key without revealing it (first 8 hex digits of its SHA-256). */
  readonly keyId: string;
  private readonly key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== SECRET_KEY_BYTES) {
      throw new SecretBoxError(`an encryption key must be ${SECRET_KEY_BYTES} bytes, got ${key.length}`);
    }
    this.key = Buffer.from(key);
    this.keyId = createHash('sha256').update(this.key).digest('hex').slice(0, 8);
  }

  /** Encrypts `plain`; `context`, when given, must be given again to open it. */
  seal(plain: string, context = ''): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(context));
    const encrypted = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const packed = Buffer.concat([iv, cipher.getAuthTag(), encrypted]);
    return `${FORMAT}:${this.keyId}:${packed.toString('base64url')}`;
  }

  /** Decrypts text made by `seal` with the same key and context; throws SecretBoxError otherwise. */
  open(sealed: string, context = ''): string {
    const parts = typeof sealed === 'string' ? sealed.split(':') : [];
    if (parts.length !== 3 || parts[0] !== FORMAT || !/^[0-9a-f]{8}$/.test(parts[1]!) || !/^[A-Za-z0-9_-]+$/.test(parts[2]!)) {
      throw new SecretBoxError(`not a sealed secret (expected '${FORMAT}:<key id>:<data>')`);
    }
    if (parts[1] !== this.keyId) {
      throw new SecretBoxError(
        `the secret was sealed with another encryption key (key id ${parts[1]}, current key ${this.keyId}): ` +
          'restore the key file or GATEHOUSE_ENCRYPTION_KEY it was sealed with',
      );
    }
    const packed = Buffer.from(parts[2]!, 'base64url');
    if (packed.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('the sealed secret is damaged (too short)');
    const decipher = createDecipheriv('aes-256-gcm', this.key, packed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(context));
    decipher.setAuthTag(packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(packed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('the sealed secret is damaged or belongs to another entity (authentication failed)');
    }
  }

  /** Whether `text` looks like a value `seal` produced (any key). */
  static isSealed(text: string): boolean {
    return typeof text === 'string' && text.startsWith(`${FORMAT}:`);
  }
}

function aad(context: string): Buffer {
  // The format name is authenticated too, so a later format cannot be fed data of this one.
  return Buffer.from(`${FORMAT}\u0000${context}`, 'utf8');
}
