import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

test('defaults are those of DESIGN.md §3', () => {
  const c = loadConfig({});
  expect(c).toMatchObject({
    port: 8080,
    apiKeys: [],
    temporalAddress: undefined,
    namespace: 'default',
    taskQueue: 'herald',
    dataDir: path.resolve('./data'),
    allowPrivateTargets: false,
    allowInsecureTargets: false,
    devServerPort: 7233,
    devServerUiPort: 8233,
    publicUrl: 'http://localhost:8080',
    temporalUiUrl: 'http://localhost:8233',
  });
});

test('values are parsed: keys split, flags read, ports coerced', () => {
  const c = loadConfig({ PORT: '9000', HERALD_API_KEYS: 'aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbb', HERALD_ALLOW_PRIVATE_TARGETS: 'true', HERALD_ALLOW_INSECURE_TARGETS: '1', TEMPORAL_ADDRESS: 'temporal:7233' });
  expect(c).toMatchObject({ port: 9000, apiKeys: ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb'], allowPrivateTargets: true, allowInsecureTargets: true, temporalAddress: 'temporal:7233', publicUrl: 'http://localhost:9000' });
});

test('every bad variable is named, and secret values are not echoed', () => {
  let error: unknown;
  try {
    loadConfig({ PORT: 'eighty', TEMPORAL_ADDRESS: 'nohost', HERALD_API_KEYS: 'short-key', HERALD_ALLOW_PRIVATE_TARGETS: 'maybe' });
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as Error).message;
  expect(message).toMatch(/PORT \("eighty"\)/);
  expect(message).toMatch(/TEMPORAL_ADDRESS \("nohost"\): must be host:port/);
  expect(message).toMatch(/HERALD_API_KEYS \(set\): every API key must be at least 16 characters/);
  expect(message).toMatch(/HERALD_ALLOW_PRIVATE_TARGETS/);
  expect(message).not.toContain('short-key');
});
