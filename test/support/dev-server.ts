// The Temporal dev server on fresh ports, for the tests and the bench (bench/ imports this file too,
// so it uses nothing from jest).
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
