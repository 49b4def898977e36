// The HTTP server under every test peer (receivers, fakes, the token endpoint): loopback only, the
// whole request body read before the handler runs.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void | Promise<void>;

export type LoopbackServer = { origin: string; close(): Promise<void> };

export async function startLoopbackServer(handler: Handler): Promise<LoopbackServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void handler(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
