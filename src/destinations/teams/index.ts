// Microsoft Teams destination: one Adaptive Card per event (./card.ts) through a Teams Workflows
// (Power Automate) webhook, the replacement for the retired Office 365 connectors. Workflows has no
// idempotency key: as with Slack, a post is recorded and not posted again (../posted-once.ts). The
// URL's `sig` query parameter authorizes the post, so it is the secret.
import { z } from 'zod';
import { urlProblem } from '../../domain/target-policy';
import type { SentMessageStore } from '../../store/sent-messages';
import { exchange } from '../exchange';
import type { HttpClient } from '../http-client';
import { recordPosted } from '../posted-once';
import { maskSecret, type DeliveryOutcome, type DestinationProvider } from '../types';
import { teamsMessage } from './card';

/** The connectors' hosts: Microsoft retired them, and a URL there can no longer post. */
const RETIRED_CONNECTOR_HOST = /(^|\.)webhook\.office\.com$|(^|\.)outlook\.office(365)?\.com$/i;

export const teamsConfigSchema = z.strictObject({
  webhook_url: z
    .url({ protocol: /^https?$/, error: 'must be the URL the Teams workflow gave you' })
    .max(2000)
    .refine((url) => !RETIRED_CONNECTOR_HOST.test(new URL(url).hostname), {
      error: 'is an Office 365 connector URL: Microsoft retired those; create a Teams workflow ("Send webhook alerts to a channel") and use its URL',
    })
    .describe('The Teams workflow\'s "When a Teams webhook request is received" URL; its sig parameter is a secret'),
});
export type TeamsConfig = z.infer<typeof teamsConfigSchema>;

/** Everything but the signature is shown: the host, the workflow's path and the other parameters. */
function maskWebhookUrl(url: string): string {
  const parsed = new URL(url);
  const sig = parsed.searchParams.get('sig');
  if (sig !== null) parsed.searchParams.set('sig', maskSecret(sig));
  return parsed.toString();
}

export function teamsProvider(http: HttpClient, sent: SentMessageStore): DestinationProvider<TeamsConfig> {
  return {
    type: 'teams',
    configSchema: teamsConfigSchema,
    check(config, policy) {
      const problem = urlProblem(config.webhook_url, policy);
      return problem ? [{ path: ['webhook_url'], message: `URL ${problem}` }] : [];
    },
    complete: (config) => config,
    mask: (config) => ({ webhook_url: maskWebhookUrl(config.webhook_url) }),
    describe: (config) => `Teams workflow at ${new URL(config.webhook_url).host}`,

    async send(event, config, ctx): Promise<DeliveryOutcome> {
      if (await sent.wasSent(ctx.deliveryId)) return { ok: true, duration_ms: 0, note: 'already posted; not posted again' };
      const body = JSON.stringify(teamsMessage(event));
      return exchange(http, ctx, async (ex) => {
        const response = await ex.send({ url: config.webhook_url, method: 'POST', headers: { 'content-type': 'application/json' }, body }, { url: maskWebhookUrl(config.webhook_url) });
        const outcome = ex.classify(response);
        if (outcome.ok) return { ...outcome, ...(await recordPosted(sent, ctx, 'Teams')) };
        // A signature that no longer matches, or a workflow deleted or turned off: no retry can work.
        if (response.status === 401 || response.status === 403 || response.status === 404) {
          return { ...outcome, permanent: true, error: `the Teams workflow refused the post (HTTP ${response.status}: ${workflowError(response.body)}); check that the workflow is on, or create it again and update the destination` };
        }
        return outcome;
      });
    },
  };
}

/** Power Automate answers {"error": {"code", "message"}}; its code says most. */
function workflowError(body: string): string {
  try {
    const error = (JSON.parse(body) as { error?: { code?: unknown; message?: unknown } }).error;
    if (error && typeof error.code === 'string') return typeof error.message === 'string' ? `${error.code}: ${error.message.slice(0, 200)}` : error.code;
  } catch {
    // not JSON
  }
  return body.slice(0, 100);
}
