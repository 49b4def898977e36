// The one interface every destination type implements (after hookdeck/outpost's destregistry):
// validate a configuration, mask its secrets, describe its target, and send one event.
import type { z } from 'zod';
import type { OutboundEvent } from '../domain/events';
import type { TargetPolicy } from '../domain/target-policy';

/** The result of one delivery attempt. An HTTP failure is an outcome, not an exception. */
export type DeliveryOutcome = {
  ok: boolean;
  status_code?: number;
  duration_ms: number;
  error?: string;
  /** Seconds the receiver asked us to wait (Retry-After on 429/503). */
  retry_after_s?: number;
  /** No later attempt can succeed without a change (410 Gone, a configuration error). */
  permanent?: boolean;
  response_excerpt?: string;
  /** Results of the destination's response validators, when it has any and the receiver answered 2xx. */
  validators?: { path: string; expected: unknown[]; actual: unknown[]; passed: boolean; error?: string }[];
  /** What was sent and received, for "test a destination"; never returned to a workflow. */
  invocation?: Invocation;
  /** The incident this destination keeps for the alert, as it stands after this attempt. */
  incident?: IncidentRef;
  /** Why a successful attempt sent nothing (e.g. no incident to close, already posted). */
  note?: string;
};

/** An incident opened at a provider (incident.io, PagerDuty): not secret, kept in workflow state. */
export type IncidentRef = { provider: string; id: string; reference?: string; url?: string; status: string };

export type Invocation = {
  request: { method: string; url: string; headers: Record<string, string>; body: string };
  response?: { status: number; headers: Record<string, string>; body: string; truncated: boolean };
};

export type SendContext = {
  /** The alert's workflow ID: the idempotency key of everything sent for it. */
  workflowId: string;
  destinationId: string;
  deliveryId: string;
  /** The incident a previous event of this alert opened at this destination, if any. */
  incident?: IncidentRef;
  attempt: number;
  timeoutMs: number;
  policy: TargetPolicy;
};

export interface DestinationProvider<Config> {
  readonly type: string;
  readonly configSchema: z.ZodType<Config>;
  /** Configuration problems the schema cannot see (they depend on operator policy), by field path. */
  check(config: Config, policy: TargetPolicy): { path: string[]; message: string }[];
  /** Fills generated values (e.g. a signing secret) into a new configuration. */
  complete(config: Config): Config;
  /** The configuration with every secret masked, safe for API responses and logs. */
  mask(config: Config): Config;
  /** The target in words, e.g. "POST https://hooks.example.com/alerts". */
  describe(config: Config): string;
  send(event: OutboundEvent, config: Config, ctx: SendContext): Promise<DeliveryOutcome>;
}

export function maskSecret(secret: string): string {
  if (secret.length <= 8) return '****';
  return `${secret.slice(0, secret.startsWith('whsec_') ? 6 : 0)}****${secret.slice(-4)}`;
}
