// Discord destination: one embed per event through a channel's webhook ("Execute Webhook", with
// ?wait=true so Discord answers once the message exists). Discord has no idempotency key: as with Slack,
// a post is recorded and not posted again (../posted-once.ts). A 429's retry_after
// (its body, or Retry-After) lengthens the wait before the next attempt.
import { z } from 'zod';
import { actionLinks, EVENT_HEADLINES, escalationWords, eventActor, eventKind, type OutboundEvent } from '../../domain/events';
import { urlProblem } from '../../domain/target-policy';
import type { SentMessageStore } from '../../store/sent-messages';
import { exchange } from '../exchange';
import { recordPosted } from '../posted-once';
import type { HttpClient, HttpResponse } from '../http-client';
import { maskSecret, type DeliveryOutcome, type DestinationProvider } from '../types';

export const discordConfigSchema = z.strictObject({
  webhook_url: z
    .url({ protocol: /^https?$/, error: 'must be the Webhook URL Discord gave you' })
    .max(2000)
    .regex(/\/api\/webhooks\/\d+\/[\w-]+\/?$/, 'must be a Discord webhook URL: https://discord.com/api/webhooks/<id>/<token>'),
  username: z.string().min(1).max(80).optional().describe("Shown as the message's author instead of the webhook's name"),
});
export type DiscordConfig = z.infer<typeof discordConfigSchema>;

/** Discord's limits on an embed (developer docs, "Embed Limits"). */
const LIMITS = { title: 256, description: 4096, fieldName: 256, fieldValue: 1024, footer: 2048 } as const;

const COLORS: Record<string, number> = { critical: 0xd0021b, error: 0xe8590c, warning: 0xf5a623, info: 0x4a90d9 };
const CLOSED_COLOR = 0x2e8540;


const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The message for one event: one embed, mentions switched off (an alert's text never pings anyone). */
export function discordMessage(event: OutboundEvent, username?: string) {
  const closed = eventKind(event.event_type) === 'close';
  const actor = eventActor(event);
  const asset = event.event.asset?.qualified_name;
  const fields = [
    { name: 'Severity', value: event.alert.severity, inline: true },
    { name: 'Event', value: `${event.event.type}${event.event.change_type ? ` (${event.event.change_type})` : ''}`, inline: true },
    ...(asset ? [{ name: 'Asset', value: `\`${asset}\``, inline: false }] : []),
    ...(actor ? [{ name: 'By', value: actor, inline: true }] : []),
    ...(event.event_type === 'alert.acknowledged' && event.alert.acknowledged_until ? [{ name: 'Until', value: event.alert.acknowledged_until, inline: true }] : []),
    ...(event.escalation ? [{ name: 'Escalation', value: escalationWords(event.escalation), inline: true }] : []),
    ...Object.entries(event.links)
      .filter(([, href]) => /^https?:\/\//.test(href))
      .slice(0, 5)
      .map(([name, href]) => ({ name, value: href, inline: false })),
    ...(event.actions ? [{ name: 'Respond', value: actionLinks(event.actions).map(([label, href]) => `[${label}](${href})`).join(' · '), inline: false }] : []),
  ].map((f) => ({ ...f, name: cut(f.name, LIMITS.fieldName), value: cut(f.value, LIMITS.fieldValue) }));
  const text = closed ? event.alert.close_reason : event.alert.description;
  const link = event.links.alert_url;
  return {
    ...(username && { username }),
    allowed_mentions: { parse: [] as string[] },
    embeds: [
      {
        title: cut(`${EVENT_HEADLINES[event.event_type]}: ${event.alert.title}`, LIMITS.title),
        ...(text && { description: cut(text, LIMITS.description) }),
        color: closed ? CLOSED_COLOR : (COLORS[event.alert.severity] ?? COLORS.info),
        fields,
        ...(link && /^https?:\/\//.test(link) && { url: link }),
        timestamp: event.occurred_at,
        footer: { text: cut(`Herald ${event.group ? 'group' : 'alert'} ${event.alert.id}`, LIMITS.footer) },
      },
    ],
  };
}

/** The webhook's token (the last path segment) is its secret. */
function maskWebhookUrl(url: string): string {
  const parsed = new URL(url);
  const parts = parsed.pathname.split('/');
  const token = parts.pop() || parts.pop() || '';
  return `${parsed.origin}${parts.join('/')}/${maskSecret(token)}`;
}

/** Discord's 429 says how long in its body (seconds, fractional); Retry-After is whole seconds. */
function retryAfter(response: HttpResponse): number | undefined {
  try {
    const seconds = (JSON.parse(response.body) as { retry_after?: unknown }).retry_after;
    if (typeof seconds === 'number' && seconds >= 0) return Math.ceil(seconds);
  } catch {
    // not JSON: the header, if any, was read already
  }
  return undefined;
}

export function discordProvider(http: HttpClient, sent: SentMessageStore): DestinationProvider<DiscordConfig> {
  return {
    type: 'discord',
    configSchema: discordConfigSchema,
    check(config, policy) {
      const problem = urlProblem(config.webhook_url, policy);
      return problem ? [{ path: ['webhook_url'], message: `URL ${problem}` }] : [];
    },
    complete: (config) => config,
    mask: (config) => ({ ...config, webhook_url: maskWebhookUrl(config.webhook_url) }),
    describe: (config) => `Discord webhook at ${new URL(config.webhook_url).host}`,

    async send(event, config, ctx): Promise<DeliveryOutcome> {
      if (await sent.wasSent(ctx.deliveryId)) return { ok: true, duration_ms: 0, note: 'already posted; not posted again' };
      const url = `${config.webhook_url.replace(/\/$/, '')}?wait=true`;
      const body = JSON.stringify(discordMessage(event, config.username));
      return exchange(http, ctx, async (ex) => {
        const response = await ex.send({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body }, { url: `${maskWebhookUrl(config.webhook_url)}?wait=true` });
        const outcome = ex.classify(response);
        if (outcome.ok) return { ...outcome, ...(await recordPosted(sent, ctx, 'Discord')) };
        if (response.status === 429) {
          const after = outcome.retry_after_s ?? retryAfter(response);
          return { ...outcome, error: `Discord is rate limiting this webhook${after !== undefined ? `: retry after ${after}s` : ''}`, ...(after !== undefined && { retry_after_s: after }) };
        }
        // Unknown Webhook (10015) or a token that no longer matches: no retry can work.
        if (response.status === 401 || response.status === 404) {
          return { ...outcome, permanent: true, error: `Discord refused the webhook (HTTP ${response.status}: ${response.body.slice(0, 100)}); create a new webhook and update the destination` };
        }
        return outcome;
      });
    },
  };
}
