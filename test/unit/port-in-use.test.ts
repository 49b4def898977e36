// A taken port stops Herald with one line naming the variable to set; the Temporal SDK's metrics
// exporter takes a free loopback port unless HERALD_SDK_METRICS_PORT names one.
import http from 'node:http';
import net from 'node:net';
import { loadConfig, type Config } from '../../src/config';
import { freeLoopbackPort } from '../../src/free-port';
import { ensurePortFree, portInUse, PortInUseError } from '../../src/port-in-use';

/** A server holding a port, as another process would. */
async function holdPort(host?: string, wanted = 0): Promise<{ port: number; release(): Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(wanted, host, resolve));
  const { port } = server.address() as net.AddressInfo;
  return { port, release: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('portInUse', () => {
  test('a listen that failed with EADDRINUSE reads as one line naming the variable and the port', async () => {
    const held = await holdPort();
    try {
      // An HTTP server's listen, as Herald's API and worker /metrics do it.
      const err = await new Promise((resolve) => http.createServer().once('error', resolve).listen(held.port));
      const mapped = portInUse(err, { PORT: 8080, HERALD_METRICS_PORT: held.port });
      expect(mapped).toBeInstanceOf(PortInUseError);
      expect(mapped).toMatchObject({ variable: 'HERALD_METRICS_PORT', port: held.port });
      expect(mapped!.message).toBe(`port ${held.port} (HERALD_METRICS_PORT) is already in use: set HERALD_METRICS_PORT to a free port, or stop what listens on ${held.port}`);
      expect(mapped!.message).not.toContain('\n');
    } finally {
      await held.release();
    }
  });

  test('other errors, and a clash on a port no variable names, are left as they are', () => {
    expect(portInUse(new Error('boom'), { PORT: 8080 })).toBeUndefined();
    expect(portInUse(Object.assign(new Error('denied'), { code: 'EACCES', port: 80 }), { PORT: 80 })).toBeUndefined();
    expect(portInUse(Object.assign(new Error('in use'), { code: 'EADDRINUSE', port: 9000 }), { PORT: 8080 })).toBeUndefined();
    expect(portInUse(undefined, { PORT: 8080 })).toBeUndefined();
    const already = new PortInUseError('HERALD_SDK_METRICS_PORT', 9466);
    expect(portInUse(already, { PORT: 8080 })).toBe(already);
  });
});

describe('ensurePortFree', () => {
  test('a free port passes and stays free', async () => {
    const port = await freeLoopbackPort();
    await ensurePortFree('PORT', port);
    const again = await holdPort(undefined, port);
    await again.release();
  });

  test('a port taken on any address throws PortInUseError for the variable', async () => {
    for (const host of [undefined, '127.0.0.1']) {
      const held = await holdPort(host);
      try {
        await expect(ensurePortFree('PORT', held.port)).rejects.toMatchObject({ variable: 'PORT', port: held.port });
      } finally {
        await held.release();
      }
    }
  });
});

describe('installTemporalRuntime', () => {
  // A Temporal Runtime is installed once per module registry: each install gets a registry of its own.
  type Isolated = { install(config: Config): Promise<{ sdkMetricsUrl: string }>; shutdown(): Promise<void> };
  function isolated(pickPort?: () => Promise<number>): Isolated {
    let mod!: Isolated;
    jest.isolateModules(() => {
      if (pickPort) jest.doMock('../../src/free-port', () => ({ freeLoopbackPort: pickPort }));
      const { installTemporalRuntime } = require('../../src/temporal/runtime') as typeof import('../../src/temporal/runtime');
      const { Runtime } = require('@temporalio/worker') as typeof import('@temporalio/worker');
      mod = { install: installTemporalRuntime, shutdown: async () => Runtime._instance?.shutdown() };
    });
    return mod;
  }
  const started: Isolated[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((r) => r.shutdown()));
  });
  const runtime = (pickPort?: () => Promise<number>) => {
    const r = isolated(pickPort);
    started.push(r);
    return r;
  };

  test('unset, two runtimes on one host take different free ports, and both export', async () => {
    const config = loadConfig({});
    expect(config.sdkMetricsPort).toBeUndefined();
    const [a, b] = [await runtime().install(config), await runtime().install(config)];
    expect(a.sdkMetricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(b.sdkMetricsUrl).not.toBe(a.sdkMetricsUrl);
    for (const { sdkMetricsUrl } of [a, b]) expect((await fetch(sdkMetricsUrl)).status).toBe(200);
  });

  test('an explicit HERALD_SDK_METRICS_PORT is honoured; taken, it stops with the variable named', async () => {
    const port = await freeLoopbackPort();
    const config = loadConfig({ HERALD_SDK_METRICS_PORT: String(port) });
    expect(await runtime().install(config)).toEqual({ sdkMetricsUrl: `http://127.0.0.1:${port}/metrics` });
    const clash = runtime().install(config);
    await expect(clash).rejects.toMatchObject({ variable: 'HERALD_SDK_METRICS_PORT', port });
    await expect(clash).rejects.toThrow(`port ${port} (HERALD_SDK_METRICS_PORT) is already in use: set HERALD_SDK_METRICS_PORT to a free port`);
  });

  test('unset, a picked port taken before the core binds it is picked again', async () => {
    const held = await holdPort('127.0.0.1');
    try {
      const picks = [held.port, held.port, await freeLoopbackPort()];
      const { sdkMetricsUrl } = await runtime(async () => picks.shift()!).install(loadConfig({}));
      expect(picks).toEqual([]);
      expect(sdkMetricsUrl).not.toContain(`:${held.port}/`);
      const stuck = runtime(async () => held.port).install(loadConfig({}));
      await expect(stuck).rejects.toMatchObject({ variable: 'HERALD_SDK_METRICS_PORT', port: held.port }); // after three picks
    } finally {
      await held.release();
    }
  });
});
