// AES-256-GCM under a list of keys: the first seals, every one opens, so a key is rotated by putting
// the new one first. Each sealed value names its key by id (the first 8 hex digits of the key's
// SHA-256), so opening needs no trial decryption and an id reveals nothing about the key.
// How a sealed value is laid out on disk or on the wire is the caller's business.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export type Sealed = { keyId: string; iv: Buffer; ciphertext: Buffer; tag: Buffer };

const IV_BYTES = 12;
// Fixed so a truncated tag (easier to forge) is refused rather than checked as far as it goes.
const TAG_BYTES = 16;

export class Keyring {
  private readonly keys: { id: string; key: Buffer }[];

  /** `setting` names where the keys come from (e.g. HERALD_SECRET_KEY), for the error on an unknown key. */
  constructor(keys: readonly Buffer[], private readonly setting: string) {
    if (keys.length === 0) throw new Error(`at least one key is needed in ${setting}`);
    this.keys = keys.map((key) => ({ id: createHash('sha256').update(key).digest('hex').slice(0, 8), key }));
  }

  /** The id of the key that seals. */
  get currentKeyId(): string {
    return this.keys[0]!.id;
  }

  /** `aad` is authenticated but not encrypted; open must be given the same bytes. */
  seal(plaintext: Uint8Array, aad?: Uint8Array): Sealed {
    const { id, key } = this.keys[0]!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    if (aad) cipher.setAAD(aad);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { keyId: id, iv, ciphertext, tag: cipher.getAuthTag() };
  }

  /** Throws when the key is not in the ring or the value (or its aad) was altered. */
  open(sealed: Sealed, aad?: Uint8Array): Buffer {
    const entry = this.keys.find((k) => k.id === sealed.keyId);
    if (!entry) throw new Error(`a value sealed with key ${sealed.keyId} cannot be opened: that key is not in ${this.setting}`);
    const decipher = createDecipheriv('aes-256-gcm', entry.key, sealed.iv, { authTagLength: TAG_BYTES });
    if (aad) decipher.setAAD(aad);
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  }
}
