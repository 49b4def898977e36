// A real HTTP receiver on loopback: records every request and answers as the test scripts it.
import { EventEmitter, once } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import { startLoopbackServer, type LoopbackServer } from './loopback-server';

export type Received = { method: string; path: string; headers: IncomingHttpHeaders; body: string; at: number };
export type Reply = { status: number; body?: string; headers?: Record<string, string> };
export type Responder = (req: Received, index: number) => Reply;

export class Receiver {
  readonly requests: Received[] = [];
  private responder: Responder = () => ({ status: 200, body: '{"ok":true}' });
  private readonly events = new EventEmitter();

  private server!: LoopbackServer;

  static async start(): Promise<Receiver> {
    const receiver = new Receiver();
    receiver.server = await startLoopbackServer((req, body, res) => {
      const received: Received = { method: req.method!, path: req.url!, headers: req.headers, body, at: Date.now() };
      const index = receiver.requests.push(received) - 1;
      const reply = receiver.responder(received, index);
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body ?? '');
      receiver.events.emit('request');
    });
    return receiver;
  }

  url(path = '/hook'): string {
    return `${this.server.origin}${path}`;
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

  /** Resolves once `check` holds after some request arrived; waits on events, never polls. */
  async waitUntil(check: () => boolean, describe: () => string, timeoutMs = 30_000): Promise<void> {
    const deadline = AbortSignal.timeout(timeoutMs);
    while (!check()) {
      try {
        await once(this.events, 'request', { signal: deadline });
      } catch {
        throw new Error(`within ${timeoutMs} ms: ${describe()}`);
      }
    }
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
