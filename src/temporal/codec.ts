// Optional payload encryption (HERALD_CODEC_KEY): every payload Herald writes to Temporal (alert
// contents, events, results) is AES-256-GCM ciphertext in history; the codec endpoint lets the
// Temporal UI show operators the plaintext.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

const ENCODING = 'binary/encrypted';
const utf8 = (s: string) => new TextEncoder().encode(s);

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keys: { id: string; key: Buffer }[];

  /** The first key encrypts; every key decrypts (rotation). */
  constructor(keys: readonly Buffer[]) {
    this.keys = keys.map((key) => ({ id: createHash('sha256').update(key).digest('hex').slice(0, 8), key }));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.keys[0]!;
    return payloads.map((payload) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(temporal.api.common.v1.Payload.encode(payload).finish()), cipher.final()]);
      return {
        metadata: { encoding: utf8(ENCODING), 'encryption-key-id': utf8(id) },
        data: Buffer.concat([iv, data, cipher.getAuthTag()]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (new TextDecoder().decode(payload.metadata?.encoding ?? new Uint8Array()) !== ENCODING) return payload;
      const id = new TextDecoder().decode(payload.metadata?.['encryption-key-id'] ?? new Uint8Array());
      const entry = this.keys.find((k) => k.id === id);
      if (!entry) throw new Error(`payload encrypted with key ${id}, which is not in HERALD_CODEC_KEY`);
      const bytes = Buffer.from(payload.data ?? new Uint8Array());
      const decipher = createDecipheriv('aes-256-gcm', entry.key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      const plain = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}
