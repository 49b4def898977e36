// There is no Docker engine here, so docker-compose.yml is checked against Herald itself: every
// variable it sets is one Herald reads, each Herald service's environment passes the config schema,
// commands are real sub-commands, and hosts and ports line up with the services.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config';
import { TEMPORAL_SERVER_VERSION } from '../../src/cluster/temporal-server-binaries';

type Service = { command?: string[]; environment?: Record<string, string>; ports?: string[]; image?: string; build?: string; depends_on?: unknown };
const compose = parse(readFileSync(path.join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const herald = Object.entries(compose.services).filter(([, s]) => s.build === '.');

/** Compose's ${VAR:?message} with a value a user would give. */
const substitute = (value: string) =>
  value.replace(/\$\{(\w+):\?[^}]*\}/g, (_m, name: string) => (name === 'HERALD_SECRET_KEY' ? Buffer.alloc(32, 1).toString('base64') : 'compose-test-key-0123456789'));

test('the Herald services are api, worker, migrate and setup', () => {
  expect(herald.map(([, s]) => s.command?.[0]).sort()).toEqual(['api', 'migrate', 'setup', 'worker']);
});

test.each(herald)('%s: every variable is one Herald reads, and the environment passes the config schema', (_name, service) => {
  const env = Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, substitute(String(v))]));
  expect(Object.keys(env).filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
  const config = loadConfig(env);
  expect(config.secretKeys).toHaveLength(1);
  expect(config.apiKeys.length).toBeGreaterThan(0);
  // Hosts in addresses are services of this file.
  expect(Object.keys(compose.services)).toContain(config.temporalAddress!.split(':')[0]);
  expect(Object.keys(compose.services)).toContain(new URL(config.databaseUrl!).hostname);
  if (service.command?.[0] === 'api') expect(service.ports).toContain(`${config.port}:${config.port}`);
});

test('Temporal, its UI and PostgreSQL line up with what Herald is told', () => {
  const api = herald.find(([, s]) => s.command?.[0] === 'api')![1];
  const config = loadConfig(Object.fromEntries(Object.entries(api.environment ?? {}).map(([k, v]) => [k, substitute(String(v))])));
  expect(compose.services.temporal!.ports).toContain(`${config.temporalAddress!.split(':')[1]}:7233`);
  expect(compose.services['temporal-ui']!.ports).toContain(`${new URL(config.temporalUiUrl).port}:8080`);
  const db = new URL(config.databaseUrl!);
  expect(compose.services.postgres!.environment).toMatchObject({ POSTGRES_USER: db.username, POSTGRES_PASSWORD: db.password, POSTGRES_DB: db.pathname.slice(1) });
});

test('the Temporal server is the release the cluster tests build and run, with their config', () => {
  const version = TEMPORAL_SERVER_VERSION.replace(/^v/, '');
  expect(compose.services.temporal!.image).toBe(`temporalio/server:${version}`);
  expect(compose.services['temporal-schema']!.image).toBe(`temporalio/admin-tools:${version}`);
  const temporal = compose.services.temporal as Service & { volumes: string[]; entrypoint: string[] };
  expect(temporal.volumes).toContain('./deploy/temporal:/etc/herald-temporal:ro');
  expect(temporal.entrypoint.slice(0, 3)).toEqual(['temporal-server', '--config-file', '/etc/herald-temporal/config.yaml']);
  expect(temporal.environment!.DYNAMIC_CONFIG_FILE).toBe('/etc/herald-temporal/dynamic-config.yaml');
  // Every variable the compose file gives the server is one the config template reads.
  const template = readFileSync(path.join(__dirname, '..', '..', 'deploy', 'temporal', 'config.yaml'), 'utf8');
  for (const name of Object.keys(temporal.environment!)) expect(template).toContain(`(env "${name}")`);
});
