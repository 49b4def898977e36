// Slack destination: one readable message per event through an incoming webhook. Slack has no
// idempotency key, so once Slack accepts a post its delivery id is recorded, and an attempt run again
// with that id (a retried activity, the lane's next attempt) does not post. The guarantee is at least
// once, and at most once except in one window: Slack accepted the post but Herald did not learn it
// (the answer was lost or timed out) or did not record it (the worker stopped or the store failed
// before the record was written); a re-run then posts the message again.
import { z } from 'zod';
import { actionLinks, escalationWords, eventActor, eventKind, type OutboundEvent } from '../../domain/events';
import { urlProblem } from '../../domain/target-policy';
import type { SentMessageStore } from '../../store/sent-messages';
import { exchange } from '../exchange';
import { recordPosted } from '../posted-once';
import type { HttpClient } from '../http-client';
import { maskSecret, type DeliveryOutcome, type DestinationProvider, type SendContext } from '../types';

export const slackConfigSchema = z.strictObject({
  webhook_url: z.url({ protocol: /^https?$/, error: 'must be the Incoming Webhook URL Slack gave you' }).max(2000),
});
export type SlackConfig = z.infer<typeof slackConfigSchema>;

const HEADLINE: Record<OutboundEvent['event_type'], string> = {
  'alert.triggered': ':rotating_light: Alert',
  'alert.updated': ':arrows_counterclockwise: Updated',
  'alert.acknowledged': ':eyes: Acknowledged',
  'alert.unacknowledged': ':bell: No longer acknowledged',
  'alert.escalated': ':rotating_light: Still unacknowledged',
  'alert.expired': ':hourglass: Expired',
  'alert.resolved': ':white_check_mark: Resolved',
  'alert.dismissed': ':no_bell: Dismissed',
  'group.triggered': ':rotating_light: Alerts',
  'group.updated': ':arrows_counterclockwise: Alerts',
  'group.resolved': ':white_check_mark: Resolved',
  'destination.circuit_opened': ':warning: Herald',
  'destination.circuit_closed': ':white_check_mark: Herald',
  'destination.disabled': ':no_entry: Herald',
  'delivery.exhausted': ':warning: Herald',
  test: ':test_tube: Test from Herald',
};

/** Blocks for Slack clients, with a plain `text` for notifications and old clients. */
export function slackMessage(event: OutboundEvent) {
  const headline = `${HEADLINE[event.event_type]}: ${event.alert.title}`;
  const asset = event.event.asset?.qualified_name;
  const closed = eventKind(event.event_type) === 'close';
  const actor = eventActor(event);
  const fields = [
    `*Severity*\n${event.alert.severity}`,
    `*Event*\n${event.event.type}${event.event.change_type ? ` (${event.event.change_type})` : ''}`,
    ...(asset ? [`*Asset*\n\`${asset}\``] : []),
    ...(actor ? [`*By*\n${actor}`] : []),
    ...(event.event_type === 'alert.acknowledged' && event.alert.acknowledged_until ? [`*Until*\n${event.alert.acknowledged_until}`] : []),
    ...(event.escalation ? [`*Escalation*\n${escalationWords(event.escalation)}`] : []),
  ];
  const links = Object.entries(event.links).filter(([, href]) => /^https?:\/\//.test(href));
  const text = [headline, asset && `on ${asset}`, `severity ${event.alert.severity}`].filter(Boolean).join(' · ');
  return {
    text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: headline.slice(0, 150), emoji: true } },
      ...(event.alert.description && !closed ? [{ type: 'section', text: { type: 'mrkdwn', text: event.alert.description.slice(0, 2900) } }] : []),
      ...(closed && event.alert.close_reason ? [{ type: 'section', text: { type: 'mrkdwn', text: `_${event.alert.close_reason.slice(0, 2900)}_` } }] : []),
      { type: 'section', fields: fields.map((f) => ({ type: 'mrkdwn', text: f })) },
      ...(links.length > 0 ? [{ type: 'context', elements: links.slice(0, 10).map(([name, href]) => ({ type: 'mrkdwn', text: `<${href}|${name}>` })) }] : []),
      ...(event.actions ? [{ type: 'context', elements: actionLinks(event.actions).map(([label, href]) => ({ type: 'mrkdwn', text: `<${href}|${label}>` })) }] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Herald ${event.group ? 'group' : 'alert'} \`${event.alert.id}\`` }] },
    ],
  };
}

/** The path of an incoming webhook URL is its secret. */
function maskWebhookUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}/${maskSecret(parsed.pathname)}`;
}

export function slackProvider(http: HttpClient, sent: SentMessageStore): DestinationProvider<SlackConfig> {
  return {
    type: 'slack',
    configSchema: slackConfigSchema,
    check(config, policy) {
      const problem = urlProblem(config.webhook_url, policy);
      return problem ? [{ path: ['webhook_url'], message: `URL ${problem}` }] : [];
    },
    complete: (config) => config,
    mask: (config) => ({ webhook_url: maskWebhookUrl(config.webhook_url) }),
    describe: (config) => `Slack incoming webhook at ${new URL(config.webhook_url).host}`,

    async send(event: OutboundEvent, config: SlackConfig, ctx: SendContext): Promise<DeliveryOutcome> {
      if (await sent.wasSent(ctx.deliveryId)) return { ok: true, duration_ms: 0, note: 'already posted; not posted again' };
      const body = JSON.stringify(slackMessage(event));
      return exchange(http, ctx, async (ex) => {
        const response = await ex.send({ url: config.webhook_url, method: 'POST', headers: { 'content-type': 'application/json' }, body }, { url: maskWebhookUrl(config.webhook_url) });
        const outcome = ex.classify(response);
        if (outcome.ok) return { ...outcome, ...(await recordPosted(sent, ctx, 'Slack')) };
        // Slack's own answers for a webhook that can never work again.
        if (/invalid_token|no_service|channel_not_found|channel_is_archived|action_prohibited/.test(response.body)) {
          return { ...outcome, permanent: true, error: `Slack refused the webhook: ${response.body.slice(0, 100)}` };
        }
        return outcome;
      });
    },
  };
}
