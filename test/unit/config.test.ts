// Environment → typed configuration (README "Configuration"): the documented defaults, flags, and a
// start-up error that names each bad variable without echoing secrets.
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

const KEY_A = 'a'.repeat(16);
const KEY_B = 'key-b-0123456789abcdef';

/** The ConfigError loadConfig throws for this environment (fails the test when none is thrown). */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('defaults', () => {
  test('an empty environment gives the defaults the Configuration table of the README lists', () => {
    expect(loadConfig({})).toMatchObject({
      port: 8080,
      apiKeys: [],
      temporalAddress: undefined,
      namespace: 'default',
      taskQueue: 'herald',
      dataDir: path.resolve('./data'),
      allowPrivateTargets: false,
      allowInsecureTargets: false,
      temporalCliPath: undefined,
      devServerPort: 7233,
      devServerUiPort: 8233,
      publicUrl: 'http://localhost:8080',
      temporalUiUrl: 'http://localhost:8233',
      logLevel: 'info',
    });
  });

  test('an alert lives 30 days at most unless configured otherwise', () => {
    expect(loadConfig({}).alertMaxLifetimeMs).toBe(30 * 86_400_000);
    expect(loadConfig({ HERALD_ALERT_MAX_LIFETIME_S: '3600' }).alertMaxLifetimeMs).toBe(3_600_000);
    expect(configError({ HERALD_ALERT_MAX_LIFETIME_S: '0' }).problems[0]).toMatch(/^HERALD_ALERT_MAX_LIFETIME_S \("0"\): /);
  });

  test('derived URLs follow the ports unless set explicitly', () => {
    expect(loadConfig({ PORT: '9000', HERALD_TEMPORAL_UI_PORT: '9233' })).toMatchObject({
      publicUrl: 'http://localhost:9000',
      temporalUiUrl: 'http://localhost:9233',
    });
    expect(
      loadConfig({ PORT: '9000', HERALD_PUBLIC_URL: 'https://herald.example.com', HERALD_TEMPORAL_UI_URL: 'https://temporal.example.com' }),
    ).toMatchObject({ publicUrl: 'https://herald.example.com', temporalUiUrl: 'https://temporal.example.com' });
  });

  test('explicit values are read', () => {
    expect(
      loadConfig({
        TEMPORAL_ADDRESS: 'temporal.internal:7233',
        TEMPORAL_NAMESPACE: 'alerts',
        HERALD_TASK_QUEUE: 'herald-prod',
        HERALD_DATA_DIR: '/var/lib/herald',
        TEMPORAL_CLI_PATH: '/usr/local/bin/temporal',
        HERALD_TEMPORAL_PORT: '17233',
        LOG_LEVEL: 'debug',
      }),
    ).toMatchObject({
      temporalAddress: 'temporal.internal:7233',
      namespace: 'alerts',
      taskQueue: 'herald-prod',
      dataDir: '/var/lib/herald',
      temporalCliPath: '/usr/local/bin/temporal',
      devServerPort: 17233,
      logLevel: 'debug',
    });
  });

  test('a relative data dir is made absolute', () => {
    expect(loadConfig({ HERALD_DATA_DIR: 'state/herald' }).dataDir).toBe(path.resolve('state/herald'));
  });

  test('unrelated variables are ignored', () => {
    expect(() => loadConfig({ PATH: '/usr/bin', HOME: '/root', SOMETHING_ELSE: '?' })).not.toThrow();
  });
});

describe('flags', () => {
  test.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['', false],
  ])('%j reads as %s', (value, expected) => {
    const config = loadConfig({ HERALD_ALLOW_PRIVATE_TARGETS: value, HERALD_ALLOW_INSECURE_TARGETS: value });
    expect(config.allowPrivateTargets).toBe(expected);
    expect(config.allowInsecureTargets).toBe(expected);
  });

  test('the two flags are independent', () => {
    expect(loadConfig({ HERALD_ALLOW_PRIVATE_TARGETS: 'true' })).toMatchObject({ allowPrivateTargets: true, allowInsecureTargets: false });
    expect(loadConfig({ HERALD_ALLOW_INSECURE_TARGETS: 'yes' })).toMatchObject({ allowPrivateTargets: false, allowInsecureTargets: true });
  });

  test.each(['maybe', 'on', '2'])('%j is refused, naming the variable and the value', (value) => {
    const error = configError({ HERALD_ALLOW_INSECURE_TARGETS: value });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(new RegExp(`^HERALD_ALLOW_INSECURE_TARGETS \\("${value}"\\): `));
  });
});

describe('API keys', () => {
  test('a comma-separated list is split and trimmed, empty entries dropped', () => {
    expect(loadConfig({ HERALD_API_KEYS: `${KEY_A}, ${KEY_B} ,,` }).apiKeys).toEqual([KEY_A, KEY_B]);
    expect(loadConfig({ HERALD_API_KEYS: KEY_A }).apiKeys).toEqual([KEY_A]);
    expect(loadConfig({ HERALD_API_KEYS: '' }).apiKeys).toEqual([]);
  });

  test('16 characters is the minimum', () => {
    expect(loadConfig({ HERALD_API_KEYS: 'x'.repeat(16) }).apiKeys).toEqual(['x'.repeat(16)]);
    expect(configError({ HERALD_API_KEYS: 'x'.repeat(15) }).problems).toEqual([
      'HERALD_API_KEYS (set): every API key must be at least 16 characters',
    ]);
  });

  test('one short key among good ones is refused, and no key is echoed', () => {
    const error = configError({ HERALD_API_KEYS: `${KEY_A},short-key,${KEY_B}` });
    expect(error.message).toContain('HERALD_API_KEYS (set): every API key must be at least 16 characters');
    expect(error.message).not.toContain('short-key');
    expect(error.message).not.toContain(KEY_A);
    expect(error.message).not.toContain(KEY_B);
  });
});

describe('readable errors', () => {
  test.each([
    ['PORT', 'eighty'],
    ['PORT', '0'],
    ['PORT', '65536'],
    ['PORT', '80.5'],
    ['HERALD_TEMPORAL_PORT', '-1'],
    ['HERALD_TEMPORAL_UI_PORT', 'ui'],
    ['TEMPORAL_ADDRESS', 'localhost'],
    ['TEMPORAL_ADDRESS', 'http://localhost:7233'],
    ['TEMPORAL_NAMESPACE', ''],
    ['HERALD_TASK_QUEUE', ''],
    ['LOG_LEVEL', 'verbose'],
    ['HERALD_PUBLIC_URL', 'not a url'],
  ])('%s=%j is named with its value', (name, value) => {
    const error = configError({ [name]: value });
    expect(error).toBeInstanceOf(Error);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]!.startsWith(`${name} (${JSON.stringify(value)}): `)).toBe(true);
    expect(error.message).toBe(`Invalid configuration:\n  - ${error.problems[0]}`);
  });

  test('TEMPORAL_ADDRESS accepts an IPv6 literal in brackets', () => {
    expect(loadConfig({ TEMPORAL_ADDRESS: '[::1]:7233' }).temporalAddress).toBe('[::1]:7233');
  });

  test('TEMPORAL_ADDRESS says what shape it wants', () => {
    expect(configError({ TEMPORAL_ADDRESS: 'temporal' }).problems[0]).toBe('TEMPORAL_ADDRESS ("temporal"): must be host:port, e.g. localhost:7233 or [::1]:7233');
  });

  test('every bad variable is listed, one per line', () => {
    const error = configError({ PORT: 'x', LOG_LEVEL: 'loud', HERALD_ALLOW_PRIVATE_TARGETS: 'perhaps', HERALD_API_KEYS: 'tiny' });
    expect(error.problems.map((p) => p.split(' ')[0]).sort()).toEqual(['HERALD_ALLOW_PRIVATE_TARGETS', 'HERALD_API_KEYS', 'LOG_LEVEL', 'PORT']);
    expect(error.message.split('\n')).toHaveLength(5);
    expect(error.message).not.toContain('tiny');
  });

  test('good values next to a bad one are not reported', () => {
    const error = configError({ PORT: '8080', TEMPORAL_ADDRESS: 'localhost:7233', LOG_LEVEL: 'nope' });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^LOG_LEVEL/);
  });
});
