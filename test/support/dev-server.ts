// The Temporal dev server on fresh ports, for the tests and the bench (bench/ imports this file too,
// so it uses nothing from jest).
import path from 'node:path';
import { freeLoopbackPort } from '../../src/free-port';
import { startDevServer, type DevServer, type DevServerOptions } from '../../src/temporal/dev-server';

/**
 * A dev server on ports that were free a moment ago. The server picks its internal services' ports
 * itself and may take one of ours before it binds it: then try new ones.
 */
export async function startDevServerOnFreePorts(opts: Omit<DevServerOptions, 'port' | 'uiPort'>): Promise<DevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevServer({ ...opts, port: await freeLoopbackPort(), uiPort: await freeLoopbackPort() });
    } catch (err) {
      if (!(err as { portTaken?: boolean }).portTaken || attempt === 3) throw err;
      opts.log(`A port of the Temporal dev server was taken while it started; trying other ports.`);
    }
  }
}

/** A fault test's own dev server, which it stops and starts again on the same ports and database file. */
export class OwnDevServer {
  private constructor(
    private server: DevServer,
    private readonly options: DevServerOptions,
  ) {}

  /** Under the test scratch directory's `name`, with the CLI the global setup found. */
  static async start(name: string): Promise<OwnDevServer> {
    const base = { cliPath: process.env.TEMPORAL_CLI_PATH!, dataDir: path.join(process.env.HERALD_TEST_SCRATCH!, name), namespace: 'default', log: () => {} };
    const server = await startDevServerOnFreePorts(base);
    return new OwnDevServer(server, { ...base, ...server.ports });
  }

  get address(): string {
    return this.server.address;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  async startAgain(): Promise<void> {
    this.server = await startDevServer(this.options);
  }
}
