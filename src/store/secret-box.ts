// Encryption at rest for destination configurations (they hold tokens, keys and signing secrets),
// under HERALD_SECRET_KEY; rotate by putting the new key first and running `herald migrate`.
// A sealed value is one string, `enc:v1:<key id>:<iv>:<tag>:<ciphertext>` (base64 fields), whose
// prefix and key id are authenticated too.
import { randomBytes } from 'node:crypto';
import { ConfigError, type Config } from '../config';
import { Keyring } from '../crypto/keyring';

const PREFIX = 'enc:v1';

export class SecretBox {
  private readonly keyring: Keyring;

  constructor(keys: readonly Buffer[]) {
    this.keyring = new Keyring(keys, 'HERALD_SECRET_KEY');
  }

  /** A fresh random key, base64, for HERALD_SECRET_KEY. */
  static generateKey(): string {
    return randomBytes(32).toString('base64');
  }

  seal(plaintext: string): string {
    const id = this.keyring.currentKeyId;
    const { iv, tag, ciphertext } = this.keyring.seal(Buffer.from(plaintext, 'utf8'), aad(id));
    return [PREFIX, id, iv.toString('base64'), tag.toString('base64'), ciphertext.toString('base64')].join(':');
  }

  /** Plaintext of a sealed value; a value stored before encryption was enabled is returned as it is. */
  open(stored: string): string {
    if (!stored.startsWith(`${PREFIX}:`)) return stored;
    const [, , keyId = '', iv = '', tag = '', data = ''] = stored.split(':');
    const sealed = { keyId, iv: Buffer.from(iv, 'base64'), tag: Buffer.from(tag, 'base64'), ciphertext: Buffer.from(data, 'base64') };
    return this.keyring.open(sealed, aad(keyId)).toString('utf8');
  }

  /** Whether a stored value is sealed with the current (first) key. */
  isCurrent(stored: string): boolean {
    return stored.startsWith(`${PREFIX}:${this.keyring.currentKeyId}:`);
  }
}

const aad = (keyId: string) => Buffer.from(`${PREFIX}:${keyId}`);

/** The box that seals destination secrets; `start` generates a key, `api` and `worker` need one set. */
export function secretBox(config: Pick<Config, 'secretKeys'>): SecretBox {
  if (config.secretKeys.length === 0) {
    throw new ConfigError([
      'HERALD_SECRET_KEY (unset): required to encrypt destination secrets (openssl rand -base64 32); every api and worker process needs the same value',
    ]);
  }
  return new SecretBox(config.secretKeys);
}
