// The one receiver every scenario posts to: records when each key first arrived, and lets a
// scenario wait until a set of keys has arrived (on events, not by polling). A GET (the bare read
// loop's baseline) is answered and not recorded.
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export class BenchReceiver {
  private readonly firstArrival = new Map<string, number>();
  /** Posts whose key had arrived before (at-least-once delivery sends some twice). */
  duplicates = 0;
  /** Every POST by path, repeats of a key included (a group sends several notifications of one type). */
  private readonly postsByPath = new Map<string, number>();
  private readonly events = new EventEmitter();
  /** Paths answering 503 (a receiver that is down), and the POSTs each refused. */
  private readonly down = new Map<string, number>();
  private constructor(private readonly server: http.Server) {
    this.events.setMaxListeners(0); // one listener per alert in flight
  }

  static async start(): Promise<BenchReceiver> {
    const server = http.createServer({ keepAliveTimeout: 60_000 });
    const receiver = new BenchReceiver(server);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const refused = receiver.down.get(req.url!);
        if (refused !== undefined && req.method === 'POST') {
          receiver.down.set(req.url!, refused + 1);
          return void res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"down"}');
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        if (req.method === 'POST') receiver.record(req.url!, Buffer.concat(chunks).toString('utf8'));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    server.maxConnections = 10_000;
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Keys are `<path>|<alert id>|<event type>`: Herald's webhook body, or a baseline's `{id}`. */
  private record(path: string, body: string): void {
    this.postsByPath.set(path, (this.postsByPath.get(path) ?? 0) + 1);
    const parsed = JSON.parse(body) as { id?: string; event_type?: string; alert?: { id: string } };
    const key = `${path}|${parsed.alert?.id ?? parsed.id}|${parsed.event_type ?? 'post'}`;
    this.events.emit('post', path, parsed);
    if (this.firstArrival.has(key)) {
      this.duplicates++;
      return;
    }
    this.firstArrival.set(key, performance.now());
    this.events.emit('arrival', key);
  }

  /** Calls `listener` with every POST's path and parsed body, repeats included, until the answer is called. */
  onPost(listener: (path: string, body: any) => void): () => void {
    this.events.on('post', listener);
    return () => void this.events.off('post', listener);
  }

  /** `path` answers every POST with 503 until `up(path)`, which says how many it refused. */
  goDown(path: string): void {
    this.down.set(path, 0);
  }

  up(path: string): number {
    const refused = this.down.get(path) ?? 0;
    this.down.delete(path);
    return refused;
  }

  posts(path: string): number {
    return this.postsByPath.get(path) ?? 0;
  }

  /** The keys that arrived on `path` with `eventType`, and when each first did. */
  arrivalsOf(path: string, eventType: string): Array<{ key: string; at: number }> {
    return [...this.firstArrival].filter(([key]) => key.startsWith(`${path}|`) && key.endsWith(`|${eventType}`)).map(([key, at]) => ({ key, at }));
  }

  arrivedAt(key: string): number | undefined {
    return this.firstArrival.get(key);
  }

  async waitFor(keys: string[], timeoutMs: number): Promise<void> {
    const missing = new Set(keys.filter((k) => !this.firstArrival.has(k)));
    if (missing.size === 0) return;
    await new Promise<void>((resolve, reject) => {
      const onArrival = (key: string) => {
        if (missing.delete(key) && missing.size === 0) {
          stop();
          resolve();
        }
      };
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`${missing.size} of ${keys.length} deliveries did not arrive within ${timeoutMs} ms`));
      }, timeoutMs);
      const stop = () => {
        clearTimeout(timer);
        this.events.off('arrival', onArrival);
      };
      this.events.on('arrival', onArrival);
    });
  }

  /** How many of `keys` have arrived. */
  countArrived(keys: string[]): number {
    return keys.reduce((n, k) => n + (this.firstArrival.has(k) ? 1 : 0), 0);
  }

  /**
   * Waits until every key arrived, or until none of the missing ones arrived for `stallMs` (a large
   * set may take long; a stalled one should not hold the run for ever). Answers how many arrived.
   */
  async waitForAll(keys: string[], stallMs: number): Promise<number> {
    const missing = new Set(keys.filter((k) => !this.firstArrival.has(k)));
    if (missing.size > 0) {
      await new Promise<void>((resolve) => {
        let timer = setTimeout(() => done(), stallMs);
        const onArrival = (key: string) => {
          if (!missing.delete(key)) return;
          if (missing.size === 0) return done();
          clearTimeout(timer);
          timer = setTimeout(() => done(), stallMs);
        };
        const done = () => {
          clearTimeout(timer);
          this.events.off('arrival', onArrival);
          resolve();
        };
        this.events.on('arrival', onArrival);
      });
    }
    return keys.length - missing.size;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}
