// Encryption at rest for destination configurations (they hold tokens, keys and signing secrets):
// AES-256-GCM under HERALD_SECRET_KEY. Several keys may be given: the first encrypts, every one
// decrypts, so a key can be rotated by putting the new one first and running `herald migrate`.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ConfigError, type Config } from '../config';

const PREFIX = 'enc:v1';

export class SecretBox {
  private readonly keys: { id: string; key: Buffer }[];

  constructor(keys: readonly Buffer[]) {
    if (keys.length === 0) throw new Error('at least one secret key is needed');
    this.keys = keys.map((key) => ({ id: createHash('sha256').update(key).digest('hex').slice(0, 8), key }));
  }

  /** A fresh random key, base64, for HERALD_SECRET_KEY. */
  static generateKey(): string {
    return randomBytes(32).toString('base64');
  }

  seal(plaintext: string): string {
    const { id, key } = this.keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(`${PREFIX}:${id}`));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [PREFIX, id, iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
  }

  /** Plaintext of a sealed value; a value stored before encryption was enabled is returned as it is. */
  open(stored: string): string {
    if (!stored.startsWith(`${PREFIX}:`)) return stored;
    const [, , id, iv, tag, data] = stored.split(':');
    const entry = this.keys.find((k) => k.id === id);
    if (!entry) throw new Error(`a stored secret was sealed with key ${id}, which is not in HERALD_SECRET_KEY`);
    const decipher = createDecipheriv('aes-256-gcm', entry.key, Buffer.from(iv!, 'base64'));
    decipher.setAAD(Buffer.from(`${PREFIX}:${id}`));
    decipher.setAuthTag(Buffer.from(tag!, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(data!, 'base64')), decipher.final()]).toString('utf8');
  }

  /** Whether a stored value is sealed with the current (first) key. */
  isCurrent(stored: string): boolean {
    return stored.startsWith(`${PREFIX}:${this.keys[0]!.id}:`);
  }
}

/** The box that seals destination secrets; `start` generates a key, `api` and `worker` need one set. */
export function secretBox(config: Pick<Config, 'secretKeys'>): SecretBox {
  if (config.secretKeys.length === 0) {
    throw new ConfigError([
      'HERALD_SECRET_KEY (unset): required to encrypt destination secrets (openssl rand -base64 32); every api and worker process needs the same value',
    ]);
  }
  return new SecretBox(config.secretKeys);
}
