// A local OAuth 2.0 token endpoint (client credentials grant, RFC 6749 §4.4): checks the client's
// HTTP Basic credentials and the grant type, issues random tokens with a lifetime, and can revoke them.
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { startLoopbackServer, type LoopbackServer } from './loopback-server';

export class TokenServer {
  readonly issued: string[] = [];
  readonly requests: Record<string, string>[] = [];
  private readonly valid = new Set<string>();

  private server!: LoopbackServer;

  private constructor(private readonly opts: { clientId: string; clientSecret: string; lifetimeS: number }) {}

  static async start(opts: { clientId: string; clientSecret: string; lifetimeS: number }): Promise<TokenServer> {
    const tokens = new TokenServer(opts);
    tokens.server = await startLoopbackServer((req, body, res) => tokens.handle(req, body, res));
    return tokens;
  }

  private handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const { opts } = this;
    const form = Object.fromEntries(new URLSearchParams(body));
    this.requests.push(form);
    const answer = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(json));
    };
    const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
    const [id, secret] = Buffer.from(encoded ?? '', 'base64').toString().split(':').map(decodeURIComponent);
    if (req.method !== 'POST' || !String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
      return answer(400, { error: 'invalid_request' });
    }
    if (scheme !== 'Basic' || id !== opts.clientId || secret !== opts.clientSecret) {
      return answer(401, { error: 'invalid_client', error_description: 'client authentication failed' });
    }
    if (form.grant_type !== 'client_credentials') return answer(400, { error: 'unsupported_grant_type' });
    const token = randomBytes(16).toString('hex');
    this.issued.push(token);
    this.valid.add(token);
    answer(200, { access_token: token, token_type: 'Bearer', expires_in: opts.lifetimeS });
  }

  url(): string {
    return `${this.server.origin}/oauth/token`;
  }

  isValid(token: string): boolean {
    return this.valid.has(token);
  }

  revokeAll(): void {
    this.valid.clear();
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
