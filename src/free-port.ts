import net from 'node:net';

/** A TCP port that was free on loopback a moment ago (another process may still take it). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether a listener could take `port` on loopback just now (nothing else holds it). */
export function isLoopbackPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer().once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * A port in [min, max] that was free on loopback a moment ago, tried at random: for a program that
 * cannot take any port (Temporal stores its membership port in a PostgreSQL smallint, ≤ 32767,
 * below Linux's ephemeral range).
 */
export async function freeLoopbackPortBetween(min: number, max: number): Promise<number> {
  for (let tries = 0; tries < 100; tries++) {
    const port = min + Math.floor(Math.random() * (max - min + 1));
    if (await isLoopbackPortFree(port)) return port;
  }
  throw new Error(`no free loopback port between ${min} and ${max} after 100 tries`);
}
