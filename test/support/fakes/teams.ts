// A Teams Workflows webhook on loopback ("When a Teams webhook request is received", the trigger of
// the "Send webhook alerts to a channel" template), answering as Power Automate does: 202 Accepted
// with no body once the flow run is queued, 401 for a signature that is not the workflow's, 404 for a
// workflow that does not exist, 400 for a body that is not JSON, 429 with Retry-After when throttled.
// The card is posted by the flow run after the answer, so a card Teams cannot show is never refused
// to the sender: the fake records it in contractViolations (checked by ./adaptive-card.ts) instead.
import type http from 'node:http';
import { startLoopbackServer, type LoopbackServer } from '../loopback-server';
import { adaptiveCardProblems } from './adaptive-card';

export type TeamsPost = { at: number; card: Card };
type Card = { body: { type: string; items?: { text?: string; color?: string }[]; text?: string; facts?: { title: string; value: string }[] }[]; actions?: { type: string; title: string; url: string }[]; [k: string]: unknown };

export class FakeTeams {
  readonly posts: TeamsPost[] = [];
  readonly contractViolations: string[] = [];
  private throttled: number[] = [];

  private server!: LoopbackServer;
  readonly workflowId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
  readonly sig = 'sIgnAtUrE-0123456789abcdefABCDEF_xyz';

  static async start(): Promise<FakeTeams> {
    const fake = new FakeTeams();
    fake.server = await startLoopbackServer((req, body, res) => fake.answer(req, body, res));
    return fake;
  }

  /** The URL as Teams shows it when the workflow is saved; another workflow id or signature as asked. */
  url(opts: { workflowId?: string; sig?: string } = {}): string {
    const query = new URLSearchParams({ 'api-version': '2016-06-01', sp: '/triggers/manual/run', sv: '1.0', sig: opts.sig ?? this.sig });
    return `${this.server.origin}/workflows/${opts.workflowId ?? this.workflowId}/triggers/manual/paths/invoke?${query}`;
  }

  /** The next posts answer 429 asking to wait these many seconds. */
  throttleNext(...seconds: number[]): void {
    this.throttled.push(...seconds);
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private answer(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    const url = new URL(req.url!, 'http://teams.test');
    const error = (status: number, code: string, message: string, headers: Record<string, string> = {}): void =>
      void res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify({ error: { code, message } }));
    const match = /^\/workflows\/([^/]+)\/triggers\/manual\/paths\/invoke$/.exec(url.pathname);
    if (req.method !== 'POST' || !match) return error(404, 'NotFound', 'The requested resource was not found.');
    if (match[1] !== this.workflowId) return error(404, 'WorkflowNotFound', `The workflow '${match[1]}' could not be found.`);
    if (url.searchParams.get('sig') !== this.sig) return error(401, 'DirectApiInvalidAuthorizationSignature', 'The provided authorization signature is not valid.');
    if (this.throttled.length > 0) {
      const wait = this.throttled.shift()!;
      return error(429, 'WorkflowRequestsThrottled', 'The workflow is being throttled.', { 'retry-after': String(wait) });
    }
    let body: { type?: unknown; attachments?: { contentType?: unknown; content?: unknown }[] };
    try {
      body = JSON.parse(raw);
    } catch {
      return error(400, 'InvalidRequestContent', 'The request content is not valid JSON.');
    }
    res.writeHead(202, { 'content-length': '0' }).end();
    // What the flow run does next: post each attachment's card to the channel.
    if (body.type !== 'message') this.contractViolations.push(`type is ${String(body.type)}, not message`);
    if (!Array.isArray(body.attachments) || body.attachments.length === 0) return void this.contractViolations.push('no attachments');
    for (const attachment of body.attachments) {
      if (attachment.contentType !== 'application/vnd.microsoft.card.adaptive') this.contractViolations.push(`attachment contentType ${String(attachment.contentType)}`);
      const problems = adaptiveCardProblems(attachment.content);
      if (problems.length > 0) this.contractViolations.push(...problems);
      else this.posts.push({ at: Date.now(), card: attachment.content as Card });
    }
    if (raw.length > 28_000) this.contractViolations.push(`message of ${raw.length} bytes, over Teams' 28 KB`);
  }
}
