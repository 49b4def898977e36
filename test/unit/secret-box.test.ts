import { DEFAULT_CIRCUIT_POLICY } from '../../src/domain/circuit';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateToLatest, openSqlite } from '../../src/store/db';
import { DestinationStore } from '../../src/store/destinations';
import { SecretBox, secretBox } from '../../src/store/secret-box';

test('seals with AES-256-GCM: different every time, opens to the same text, refuses tampering', () => {
  const box = new SecretBox([randomBytes(32)]);
  const a = box.seal('{"token":"t0ps3cret"}');
  expect(a).toMatch(/^enc:v1:[0-9a-f]{8}:/);
  expect(a).not.toContain('t0ps3cret');
  expect(box.seal('{"token":"t0ps3cret"}')).not.toBe(a);
  expect(box.open(a)).toBe('{"token":"t0ps3cret"}');
  const parts = a.split(':');
  parts[5] = Buffer.from('{"token":"other"}').toString('base64');
  expect(() => box.open(parts.join(':'))).toThrow();
  const shortTag = a.split(':');
  shortTag[4] = Buffer.from(shortTag[4]!, 'base64').subarray(0, 4).toString('base64'); // a 32-bit tag is easy to forge
  expect(() => box.open(shortTag.join(':'))).toThrow(/tag length/);
  expect(() => new SecretBox([randomBytes(32)]).open(a)).toThrow(/not in HERALD_SECRET_KEY/);
});

test('rotation: the new key seals, the old one still opens, values written before encryption still read', () => {
  const oldKey = randomBytes(32);
  const sealedOld = new SecretBox([oldKey]).seal('old');
  const rotated = new SecretBox([randomBytes(32), oldKey]);
  expect(rotated.open(sealedOld)).toBe('old');
  expect(rotated.isCurrent(sealedOld)).toBe(false);
  expect(rotated.isCurrent(rotated.seal('new'))).toBe(true);
  expect(rotated.open('{"plain":true}')).toBe('{"plain":true}');
});

test('api and worker refuse to run without a key', () => {
  expect(() => secretBox({ secretKeys: [] })).toThrow(/HERALD_SECRET_KEY \(unset\)/);
});

test('the database file holds no secret in clear, and reseal moves every row to the current key', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'secret-box-'));
  const db = openSqlite(dir);
  await migrateToLatest(db);
  const oldKey = randomBytes(32);
  const store = new DestinationStore(db, new SecretBox([oldKey]));
  const created = await store.create({
    name: 'sealed',
    type: 'webhook',
    enabled: true,
    config: { url: 'https://hooks.example.com/x', method: 'POST', headers: {}, auth: { type: 'bearer', token: 'bearer-in-the-clear-would-be-bad' }, response_validators: [], signing_secret: `whsec_${randomBytes(32).toString('base64')}` },
    retry_schedule: [0],
    timeout_s: 5,
    filters: {},
    mute_windows: [],
    circuit_breaker: DEFAULT_CIRCUIT_POLICY, rate_limit: null,
  });
  const files = () => readdirSync(dir).map((f) => readFileSync(path.join(dir, f)).toString('latin1')).join('\n');
  expect(files()).not.toContain('bearer-in-the-clear-would-be-bad');
  expect(files()).not.toContain((created.config as { signing_secret: string }).signing_secret.slice(6));

  const newKey = randomBytes(32);
  const rotated = new DestinationStore(db, new SecretBox([newKey, oldKey]));
  expect(await rotated.reseal()).toBe(1);
  expect(await rotated.reseal()).toBe(0);
  const newOnly = new DestinationStore(db, new SecretBox([newKey])); // the old key can now be dropped
  expect((await newOnly.get(created.id))!.config).toEqual(created.config);
  await db.destroy();
});
