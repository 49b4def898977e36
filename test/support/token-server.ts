// A local OAuth 2.0 token endpoint (client credentials grant, RFC 6749 §4.4): checks the client's
// HTTP Basic credentials and the grant type, issues random tokens with a lifetime, and can revoke them.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export class TokenServer {
  readonly issued: string[] = [];
  readonly requests: Record<string, string>[] = [];
  private readonly valid = new Set<string>();

  private constructor(
    private readonly server: http.Server,
    private readonly opts: { clientId: string; clientSecret: string; lifetimeS: number },
  ) {}

  static async start(opts: { clientId: string; clientSecret: string; lifetimeS: number }): Promise<TokenServer> {
    const server = http.createServer();
    const tokens = new TokenServer(server, opts);
    server.on('request', (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const form = Object.fromEntries(new URLSearchParams(body));
        tokens.requests.push(form);
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
        tokens.issued.push(token);
        tokens.valid.add(token);
        answer(200, { access_token: token, token_type: 'Bearer', expires_in: opts.lifetimeS });
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return tokens;
  }

  url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/oauth/token`;
  }

  isValid(token: string): boolean {
    return this.valid.has(token);
  }

  revokeAll(): void {
    this.valid.clear();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}
