// A destination as the API accepts it and the store keeps it (README "Webhook destination options",
// "Routing rules and filters").
import { z } from 'zod';
import { nonBlank } from '../domain/non-blank';
import { labelMapSchema, SEVERITIES } from '../domain/alert';
import { ACTIONS } from '../domain/routing';
import { DEFAULT_RETRY_SCHEDULE } from '../domain/schedule';
import { muteWindowsSchema } from '../domain/mute-windows';
import { circuitPolicySchema, DEFAULT_CIRCUIT_POLICY } from '../domain/circuit';
import { DEFAULT_RATE_LIMITS, rateLimitSchema } from '../domain/rate-limit';
import { incidentIoConfigSchema } from './incident-io';
import { pagerdutyConfigSchema } from './pagerduty';
import { slackConfigSchema } from './slack';
import { discordConfigSchema } from './discord';
import { emailConfigSchema } from './email';
import { teamsConfigSchema } from './teams';
import { webhookConfigSchema } from './webhook/config';

/** Which events a destination wants; an absent or empty list places no restriction. */
export const filtersSchema = z.strictObject({
  event_types: z.array(z.string().min(1).max(200)).max(100).optional(),
  actions: z.array(z.enum(ACTIONS)).optional(),
  severities: z.array(z.enum(SEVERITIES)).optional(),
  labels: labelMapSchema.optional(),
});

const name = nonBlank(200);
const retrySchedule = z
  .array(z.number().min(0).max(86_400, 'a wait may be at most one day (86400 s)'))
  .min(1)
  .max(20);
const timeout = z.number().min(1).max(30);

const common = {
  name,
  enabled: z.boolean().default(true),
  retry_schedule: retrySchedule.default([...DEFAULT_RETRY_SCHEDULE]),
  timeout_s: timeout.default(10),
  filters: filtersSchema.default({}),
  mute_windows: muteWindowsSchema.default([]).describe('Recurring times when this destination is sent nothing (README "Mute windows")'),
  circuit_breaker: circuitPolicySchema.default(DEFAULT_CIRCUIT_POLICY).describe('When deliveries to this destination pause after failures in a row (README "Circuit breaker")'),
};

/** Each type's default: what its receivers document (README "Rate limits"); null sends as fast as lanes go. */
const rateLimit = (type: keyof typeof DEFAULT_RATE_LIMITS) =>
  rateLimitSchema.nullable().default(DEFAULT_RATE_LIMITS[type]).describe('Attempts per second or minute across every worker (README "Rate limits"); null: no limit');

const destinationOf = <C extends z.ZodType>(webhookConfig: C) =>
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('webhook'), config: webhookConfig, ...common, rate_limit: rateLimit('webhook') }),
    z.strictObject({ type: z.literal('incident_io'), config: incidentIoConfigSchema, ...common, rate_limit: rateLimit('incident_io') }),
    z.strictObject({ type: z.literal('pagerduty'), config: pagerdutyConfigSchema, ...common, rate_limit: rateLimit('pagerduty') }),
    z.strictObject({ type: z.literal('slack'), config: slackConfigSchema, ...common, rate_limit: rateLimit('slack') }),
    z.strictObject({ type: z.literal('discord'), config: discordConfigSchema, ...common, rate_limit: rateLimit('discord') }),
    z.strictObject({ type: z.literal('email'), config: emailConfigSchema, ...common, rate_limit: rateLimit('email') }),
    z.strictObject({ type: z.literal('teams'), config: teamsConfigSchema, ...common, rate_limit: rateLimit('teams') }),
  ]);

/** A whole destination, as stored and as a patch merged over one is checked. */
export const destinationInputSchema = destinationOf(webhookConfigSchema);
/** What a client may send to create or test one: the previous signing secret is set by a rotation only. */
export const destinationCreateSchema = destinationOf(webhookConfigSchema.omit({ previous_signing_secret: true }));

export type DestinationInput = z.infer<typeof destinationInputSchema>;
export type DestinationType = DestinationInput['type'];

export type Destination = DestinationInput & {
  id: string;
  /** Why deliveries stopped and a person should look (e.g. the receiver answered 410 Gone); cleared by any PATCH. */
  needs_attention: string | null;
  created_at: string;
  updated_at: string;
};

/** PATCH body: any top-level field; `config` keys are merged over the stored ones, so omitted secrets stay. */
export const destinationPatchSchema = z.strictObject({
  name: name.optional(),
  enabled: z.boolean().optional(),
  retry_schedule: retrySchedule.optional(),
  timeout_s: timeout.optional(),
  filters: filtersSchema.optional(),
  mute_windows: muteWindowsSchema.optional().describe('The whole list; [] removes every window'),
  circuit_breaker: circuitPolicySchema.optional(),
  rate_limit: rateLimitSchema.nullable().optional().describe('null removes the limit'),
  // Checked once merged over the stored config, against the destination type's own schema.
  config: z.record(z.string(), z.unknown()).optional(),
});
