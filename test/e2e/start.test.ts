// `npm start` as a user runs it (README command 1): one process tree with the embedded Temporal dev
// server, the worker and the API, driven only through HTTP, stopped with Ctrl-C (SIGINT to the group).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { callApi } from '../support/herald';
import { freeLoopbackPort } from '../../src/free-port';
import { Receiver } from '../support/receiver';

const ROOT = path.join(__dirname, '..', '..');

type Started = { child: ChildProcess; output: () => string; apiUrl: string; apiKey: string; uiUrl: string };

async function npmStart(env: Record<string, string>): Promise<Started> {
  // detached: the child leads its own process group, like a shell job that Ctrl-C signals as a whole.
  const child = spawn('npm', ['start'], { cwd: ROOT, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const banner = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 120 s:\n${output}`)), 120_000);
    const check = () => {
      if (/Press Ctrl-C to stop/.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
  });
  const field = (name: string) => new RegExp(`${name}\\s+(\\S+)`).exec(banner)?.[1] ?? '';
  return { child, output: () => output, apiUrl: field('API'), apiKey: field('API key'), uiUrl: field('Temporal UI') };
}

/** Ctrl-C as a terminal sends it: SIGINT to the whole group; resolves once every process in it is gone. */
async function ctrlC(started: Started): Promise<void> {
  const exited = once(started.child, 'exit');
  process.kill(-started.child.pid!, 'SIGINT');
  const [code, signal] = await exited;
  // npm ends by the signal it was sent (as in a terminal) or with Herald's own exit code.
  expect(code === 0 || signal === 'SIGINT').toBe(true);
  await waitUntil(() => !groupAlive(started.child.pid!), 15_000);
  expect(started.output()).toContain('Stopped.');
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('npm start runs Temporal, worker and API; an alert is delivered; Ctrl-C stops everything; state survives a restart', async () => {
  const receiver = await Receiver.start();
  const temporalPort = await freeLoopbackPort();
  const env = {
    PORT: String(await freeLoopbackPort()),
    HERALD_DATA_DIR: mkdtempSync(path.join(process.env.HERALD_TEST_SCRATCH ?? '/tmp', 'e2e-')),
    HERALD_TEMPORAL_PORT: String(temporalPort),
    HERALD_TEMPORAL_UI_PORT: String(await freeLoopbackPort()),
    HERALD_ALLOW_PRIVATE_TARGETS: 'true',
    HERALD_ALLOW_INSECURE_TARGETS: 'true',
    HERALD_CODEC_KEY: randomBytes(32).toString('base64'),
  };
  const first = await npmStart(env);
  try {
    expect(first.apiUrl).toBe(`http://localhost:${env.PORT}`);
    expect(first.apiKey).toMatch(/^hk_/);
    expect(first.output()).toContain('curl');
    expect((await fetch(first.uiUrl)).status).toBe(200); // the Temporal Web UI
    // The embedded UI is given its own codec path (new at each start) and decodes through it without
    // a key; the plain codec path wants the key, from loopback as from anywhere.
    const settings = (await (await fetch(`${first.uiUrl}/api/v1/settings`)).json()) as { Codec: { Endpoint: string } };
    expect(settings.Codec.Endpoint).toMatch(new RegExp(`^${first.apiUrl}/codec/ui/[A-Za-z0-9_-]{32}$`));
    const codecCall = (url: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ payloads: [] }) });
    expect((await codecCall(`${settings.Codec.Endpoint}/decode`)).status).toBe(200);
    expect((await codecCall(`${first.apiUrl}/codec/decode`)).status).toBe(401);
    const consolePage = await fetch(`${first.apiUrl}/console/`); // built by `npm start`, no extra step
    expect(consolePage.status).toBe(200);
    expect(await consolePage.text()).toContain('<div id="app">');

    const call = (method: string, p: string, body?: unknown) => callApi(first.apiUrl, first.apiKey, method, p, body);
    const destination = await call('POST', '/v1/destinations', { name: 'e2e-hook', type: 'webhook', config: { url: receiver.url() } });
    expect(destination.status).toBe(201);
    const alert = await call('POST', '/v1/alerts', { id: 'e2e_1', title: 'E2E', severity: 'critical', destinations: [destination.body.id] });
    expect(alert.status).toBe(202);
    expect(alert.body.links.temporal_ui).toBe(`${first.uiUrl}/namespaces/default/workflows/alert%3Ae2e_1`);
    const [delivered] = await receiver.waitFor(1);
    expect(delivered!.headers['x-herald-event']).toBe('alert.triggered');
    expect((await call('POST', '/v1/alerts/e2e_1/resolve', { by: 'e2e' })).status).toBe(202);
    await receiver.waitFor(2);
    await waitUntil(async () => (await call('GET', '/v1/alerts/e2e_1')).body.destinations?.[0]?.state === 'delivered', 20_000);
    // One scrape carries Herald's metrics and the Temporal SDK's worker metrics.
    const metrics = await (await fetch(`${first.apiUrl}/metrics`, { headers: { authorization: `Bearer ${first.apiKey}` } })).text();
    expect(metrics).toMatch(/^herald_delivery_attempts_total\{destination_type="webhook",outcome="delivered"\} 2$/m);
    expect(metrics).toMatch(/^temporal_\w+/m);
  } finally {
    await ctrlC(first);
  }
  expect(await portOpen(temporalPort)).toBe(false);

  const second = await npmStart(env);
  try {
    expect(second.apiKey).toBe(first.apiKey); // kept in the data dir
    const state = await callApi(second.apiUrl, second.apiKey, 'GET', '/v1/alerts/e2e_1');
    expect(state.status).toBe(200);
    expect(state.body).toMatchObject({ id: 'e2e_1', status: 'resolved', delivery_state: 'delivered' });
    const destinations = await callApi(second.apiUrl, second.apiKey, 'GET', '/v1/destinations');
    expect(destinations.body.data.map((d: { name: string }) => d.name)).toEqual(['e2e-hook']);
    expect(destinations.body.data[0].config.signing_secret).toMatch(/^whsec_\*\*\*\*/);
  } finally {
    await ctrlC(second);
    await receiver.close();
  }
}, 300_000);
