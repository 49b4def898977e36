// A Discord webhook on loopback that answers as Discord's "Execute Webhook" does and refuses what
// Discord refuses: the documented embed limits (developer docs, "Embed Limits": title 256, description
// 4096, 25 fields of name 256 and value 1024, footer 2048, 6000 in all, 10 embeds, content 2000),
// a body with neither content nor embeds, and a token that is not the webhook's. A 429 can be set up,
// with Discord's body (retry_after in seconds) and X-RateLimit-* headers.
import type http from 'node:http';
import { startLoopbackServer, type LoopbackServer } from '../loopback-server';

type Embed = { title?: string; description?: string; fields?: { name: string; value: string }[]; footer?: { text: string }; [k: string]: unknown };
export type DiscordPost = { at: number; wait: boolean; body: { content?: string; username?: string; embeds?: Embed[]; allowed_mentions?: { parse: string[] } } };

export class FakeDiscord {
  readonly posts: DiscordPost[] = [];
  readonly contractViolations: string[] = [];
  private limited: number[] = [];

  private server!: LoopbackServer;

  private constructor(readonly webhookId: string, readonly token: string) {}

  static async start(): Promise<FakeDiscord> {
    const fake = new FakeDiscord('112233445566778899', 'tok_ABCdef-123_secret');
    fake.server = await startLoopbackServer((req, raw, res) => fake.answer(req, raw, res));
    return fake;
  }

  url(): string {
    return `${this.server.origin}/api/webhooks/${this.webhookId}/${this.token}`;
  }

  /** The next posts answer 429 asking to wait these many seconds. */
  rateLimitNext(...seconds: number[]): void {
    this.limited.push(...seconds);
  }

  async close(): Promise<void> {
    await this.server.close();
  }

  private answer(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    const url = new URL(req.url!, 'http://discord.test');
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => void res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    if (req.method !== 'POST' || url.pathname !== `/api/webhooks/${this.webhookId}/${this.token}`) return json(404, { message: 'Unknown Webhook', code: 10015 });
    if (this.limited.length > 0) {
      const wait = this.limited.shift()!;
      return json(429, { message: 'You are being rate limited.', retry_after: wait, global: false }, { 'retry-after': String(Math.ceil(wait)), 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': String(wait), 'x-ratelimit-scope': 'user' });
    }
    let body: DiscordPost['body'];
    try {
      body = JSON.parse(raw);
    } catch {
      return json(400, { message: 'The request body contains invalid JSON.', code: 50109 });
    }
    const problems = violations(body);
    if (problems.length > 0) {
      this.contractViolations.push(...problems);
      return json(400, { message: 'Invalid Form Body', code: 50035, errors: problems });
    }
    this.posts.push({ at: Date.now(), wait: url.searchParams.get('wait') === 'true', body });
    if (url.searchParams.get('wait') !== 'true') return void res.writeHead(204).end();
    json(200, { id: String(1_000_000 + this.posts.length), type: 0, channel_id: '998877', webhook_id: this.webhookId, content: body.content ?? '', embeds: body.embeds ?? [] }, { 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '4', 'x-ratelimit-reset-after': '2' });
  }
}

function violations(body: DiscordPost['body']): string[] {
  const problems: string[] = [];
  const over = (what: string, text: string | undefined, max: number) => text !== undefined && text.length > max && problems.push(`${what} is longer than ${max}`);
  if (!body.content && !(body.embeds && body.embeds.length > 0)) problems.push('neither content nor embeds');
  over('content', body.content, 2000);
  over('username', body.username, 80);
  if ((body.embeds?.length ?? 0) > 10) problems.push('more than 10 embeds');
  let total = 0;
  for (const embed of body.embeds ?? []) {
    over('embed title', embed.title, 256);
    over('embed description', embed.description, 4096);
    over('embed footer', embed.footer?.text, 2048);
    if ((embed.fields?.length ?? 0) > 25) problems.push('more than 25 fields');
    for (const f of embed.fields ?? []) {
      if (!f.name || !f.value) problems.push('a field without name or value');
      over('field name', f.name, 256);
      over('field value', f.value, 1024);
      total += f.name.length + f.value.length;
    }
    total += (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0);
  }
  if (total > 6000) problems.push('embeds longer than 6000 in all');
  if (body.allowed_mentions && !Array.isArray(body.allowed_mentions.parse)) problems.push('allowed_mentions.parse is not a list');
  return problems;
}
