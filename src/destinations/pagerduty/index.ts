// PagerDuty destination (Events API v2): trigger opens or adds to the alert keyed by `dedup_key`
// (derived from the workflow ID, so a retried trigger never opens a second one); an acknowledgement
// acknowledges it; resolve and dismiss resolve it. 202 only means "queued". The Events API has no
// "unacknowledge": PagerDuty's own acknowledgement timeout (a service setting) does that there.
import { z } from 'zod';
import { actionLinks, eventKind, type OutboundEvent } from '../../domain/events';
import { urlProblem } from '../../domain/target-policy';
import { exchange } from '../exchange';
import type { HttpClient } from '../http-client';
import { maskSecret, type DeliveryOutcome, type DestinationProvider, type SendContext } from '../types';

export const pagerdutyConfigSchema = z.strictObject({
  routing_key: z.string().regex(/^[A-Za-z0-9]{20,64}$/, 'must be the 32-character Integration Key of an Events API v2 integration'),
  base_url: z.url({ protocol: /^https?$/ }).max(500).default('https://events.pagerduty.com'),
});
export type PagerDutyConfig = z.infer<typeof pagerdutyConfigSchema>;

const MAX_SUMMARY = 1024;
const MAX_DEDUP_KEY = 255;

export function dedupKey(workflowId: string): string {
  return `herald/${workflowId}`.slice(0, MAX_DEDUP_KEY);
}

/**
 * The Events API v2 body for one Herald event (the routing key is added at send time); undefined for
 * an event the Events API has no action for (taking an acknowledgement back).
 */
export function pagerdutyEvent(event: OutboundEvent, workflowId: string) {
  const dedup_key = dedupKey(workflowId);
  const kind = eventKind(event.event_type);
  if (kind === 'unacknowledge') return undefined;
  if (kind === 'acknowledge') return { event_action: 'acknowledge' as const, dedup_key };
  // A trigger for an open dedup key adds to the same PagerDuty alert: that is how updates go.
  if (kind === 'close') return { event_action: 'resolve' as const, dedup_key };
  const asset = event.event.asset;
  const summary = `${event.alert.title}${asset ? ` (${asset.qualified_name})` : ''}`;
  return {
    event_action: 'trigger' as const,
    dedup_key,
    client: 'Herald',
    ...(event.links.alert_url && { client_url: event.links.alert_url }),
    payload: {
      summary: summary.length > MAX_SUMMARY ? `${summary.slice(0, MAX_SUMMARY - 1)}…` : summary,
      source: asset?.qualified_name ?? event.alert.rule_name,
      severity: event.alert.severity, // Herald's severities are PagerDuty's: critical, error, warning, info
      timestamp: event.occurred_at,
      ...(asset && { component: asset.qualified_name }),
      ...(asset?.qualified_name.includes('.') && { group: asset.qualified_name.split('.').slice(0, -1).join('.') }),
      class: event.event.type,
      custom_details: {
        ...(event.group ? { group_id: event.group.id, firing_count: event.group.firing_count } : { alert_id: event.alert.id }),
        rule_name: event.alert.rule_name,
        ...(event.alert.description && { description: event.alert.description }),
        ...(event.event.change_type && { change_type: event.event.change_type }),
        labels: event.alert.labels,
        ...(event.event.details && { details: event.event.details }),
        ...(event.group && { alerts: event.group.alerts.slice(0, 20).map((a) => ({ id: a.id, title: a.title, severity: a.severity })) }),
      },
    },
    links: [
      ...Object.entries(event.links)
        .filter(([, href]) => /^https?:\/\//.test(href))
        .map(([text, href]) => ({ href, text })),
      ...(event.actions ? actionLinks(event.actions).map(([text, href]) => ({ href, text: `${text} in Herald` })) : []),
    ],
  };
}

export function pagerdutyProvider(http: HttpClient): DestinationProvider<PagerDutyConfig> {
  return {
    type: 'pagerduty',
    configSchema: pagerdutyConfigSchema,
    check(config, policy) {
      const problem = urlProblem(config.base_url, policy);
      return problem ? [{ path: ['base_url'], message: `URL ${problem}` }] : [];
    },
    complete: (config) => config,
    mask: (config) => ({ ...config, routing_key: maskSecret(config.routing_key) }),
    describe: (config) => `PagerDuty Events API v2 at ${config.base_url}`,

    async send(event: OutboundEvent, config: PagerDutyConfig, ctx: SendContext): Promise<DeliveryOutcome> {
      const body = pagerdutyEvent(event, ctx.workflowId);
      if (!body) return { ok: true, duration_ms: 0, ...(ctx.incident && { incident: ctx.incident }), note: "PagerDuty's Events API cannot take an acknowledgement back; the service's acknowledgement timeout does that in PagerDuty" };
      const url = `${config.base_url.replace(/\/$/, '')}/v2/enqueue`;
      return exchange(http, ctx, async (ex) => {
        const response = await ex.send(
          { url, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ routing_key: config.routing_key, ...body }) },
          { body: JSON.stringify({ routing_key: maskSecret(config.routing_key), ...body }) },
        );
        if (response.status === 202) {
          const status = { trigger: 'triggered', acknowledge: 'acknowledged', resolve: 'resolved' }[body.event_action];
          return { ...ex.classify(response), incident: { provider: 'pagerduty', id: body.dedup_key, status } };
        }
        if (response.status === 400) {
          // PagerDuty says exactly what is wrong with the event; retrying the same event cannot help.
          let errors = '';
          try {
            const parsed = JSON.parse(response.body) as { message?: string; errors?: string[] };
            errors = [parsed.message, ...(parsed.errors ?? [])].filter(Boolean).join('; ');
          } catch {
            errors = response.body.slice(0, 500);
          }
          return { ok: false, permanent: true, status_code: 400, duration_ms: ex.elapsed(), error: `PagerDuty rejected the event: ${errors}` };
        }
        return ex.classify(response);
      });
    },
  };
}
