// Secrets in the database and payloads in Temporal history outlive any version of Herald: values
// sealed by earlier code (the fixture) must open with the current one.
import { randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { SecretBox } from '../../src/store/secret-box';
import { AesGcmPayloadCodec } from '../../src/temporal/codec';
import vectors from './fixtures/sealed-v1.json';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (u: Uint8Array | null | undefined) => Buffer.from(u ?? new Uint8Array()).toString();

test('a destination secret sealed by the earlier SecretBox opens', () => {
  const box = new SecretBox([Buffer.from(vectors.secretBox.key, 'base64')]);
  expect(box.open(vectors.secretBox.sealed)).toBe(vectors.secretBox.plaintext);
  expect(box.isCurrent(vectors.secretBox.sealed)).toBe(true);
});

test('a payload encoded by the earlier codec decodes', async () => {
  const codec = new AesGcmPayloadCodec([Buffer.from(vectors.payloadCodec.key, 'base64')]);
  const { metadata, data } = vectors.payloadCodec.encoded;
  const encoded: Payload = {
    metadata: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(data, 'base64'),
  };
  const [decoded] = await codec.decode([encoded]);
  expect(text(decoded!.metadata!.encoding)).toBe(vectors.payloadCodec.plaintext.metadata.encoding);
  expect(text(decoded!.data)).toBe(vectors.payloadCodec.plaintext.data);
});

test('the codec round-trips, rotates, passes plain payloads through and refuses tampering', async () => {
  const oldKey = randomBytes(32);
  const plain: Payload = { metadata: { encoding: bytes('json/plain') }, data: bytes('{"title":"t"}') };
  const [sealedOld] = await new AesGcmPayloadCodec([oldKey]).encode([plain]);
  expect(text(sealedOld!.metadata!.encoding)).toBe('binary/encrypted');
  expect(text(sealedOld!.data)).not.toContain('title');

  const rotated = new AesGcmPayloadCodec([randomBytes(32), oldKey]);
  const [opened] = await rotated.decode([sealedOld!]);
  expect(text(opened!.data)).toBe('{"title":"t"}');
  const [sealedNew] = await rotated.encode([plain]);
  expect(text(sealedNew!.metadata!['encryption-key-id'])).not.toBe(text(sealedOld!.metadata!['encryption-key-id']));
  expect(await rotated.decode([plain])).toEqual([plain]);

  const tampered = Buffer.from(sealedOld!.data!);
  tampered[14]! ^= 1;
  await expect(rotated.decode([{ ...sealedOld!, data: tampered }])).rejects.toThrow();
  await expect(new AesGcmPayloadCodec([randomBytes(32)]).decode([sealedOld!])).rejects.toThrow(/not in HERALD_CODEC_KEY/);
});
