// Optional payload encryption (HERALD_CODEC_KEY): every payload Herald writes to Temporal (alert
// contents, events, results) is AES-256-GCM ciphertext in history; the codec endpoint lets the
// Temporal UI show operators the plaintext. An encrypted payload's data is iv (12 bytes), then the
// ciphertext of the whole original payload (protobuf), then the tag (16 bytes); its key id is in
// the metadata.
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Keyring } from '../crypto/keyring';

const ENCODING = 'binary/encrypted';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (bytes: Uint8Array | null | undefined) => new TextDecoder().decode(bytes ?? new Uint8Array());

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keyring: Keyring;

  /** The first key encrypts; every key decrypts (rotation). */
  constructor(keys: readonly Buffer[]) {
    this.keyring = new Keyring(keys, 'HERALD_CODEC_KEY');
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const { keyId, iv, ciphertext, tag } = this.keyring.seal(temporal.api.common.v1.Payload.encode(payload).finish());
      return {
        metadata: { encoding: utf8(ENCODING), 'encryption-key-id': utf8(keyId) },
        data: Buffer.concat([iv, ciphertext, tag]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (text(payload.metadata?.encoding) !== ENCODING) return payload;
      const bytes = Buffer.from(payload.data ?? new Uint8Array());
      const plain = this.keyring.open({
        keyId: text(payload.metadata?.['encryption-key-id']),
        iv: bytes.subarray(0, IV_BYTES),
        ciphertext: bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES),
        tag: bytes.subarray(bytes.length - TAG_BYTES),
      });
      return temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}
