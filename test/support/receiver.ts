// A real HTTP receiver on loopback: records every request and answers as the test scripts it.
import { EventEmitter, once } from 'node:events';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = { method: string; path: string; headers: IncomingHttpHeaders; body: string; at: number };
export type Reply = { status: number; body?: string; headers?: Record<string, string> };
export type Responder = (req: Received, index: number) => Reply;

export class Receiver {
  readonly requests: Received[] = [];
  private responder: Responder = () => ({ status: 200, body: '{"ok":true}' });
  private readonly events = new EventEmitter();

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<Receiver> {
    const server = http.createServer();
    const receiver = new Receiver(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const received: Received = {
          method: req.method!,
          path: req.url!,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        };
        const index = receiver.requests.push(received) - 1;
        const reply = receiver.responder(received, index);
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(reply.body ?? '');
        receiver.events.emit('request');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return receiver;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  respond(responder: Responder): void {
    this.responder = responder;
  }

  /** Resolves once `count` requests arrived (or matched `filter`); waits on events, never polls. */
  async waitFor(count: number, filter: (r: Received) => boolean = () => true, timeoutMs = 30_000): Promise<Received[]> {
    const matching = () => this.requests.filter(filter);
    const deadline = AbortSignal.timeout(timeoutMs);
    while (matching().length < count) {
      try {
        await once(this.events, 'request', { signal: deadline });
      } catch {
        throw new Error(`receiver got ${matching().length} of ${count} expected requests within ${timeoutMs} ms`);
      }
    }
    return matching();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
