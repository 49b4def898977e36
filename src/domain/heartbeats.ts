// Heartbeats, a dead man's switch (README "Heartbeats"): something that should ping Herald every
// `interval_s` (a cron job, Alertmanager's always-firing Watchdog); when no ping came for
// `interval_s + grace_s`, Herald raises the heartbeat's alert through the normal routing, and the next
// ping resolves it. Pure: the schema, the deadline, and the alert a miss raises.
import { z } from 'zod';
import { labelMapSchema, SEVERITIES, type Alert } from './alert';
import { nonBlank } from './non-blank';
import { formatDuration } from './schedule';

/** Names appear in URLs and alert ids: a URL- and header-safe alphabet. */
export const HEARTBEAT_NAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,99}$/;

export const heartbeatInputSchema = z.strictObject({
  name: z.string().regex(HEARTBEAT_NAME_PATTERN, 'must be 1-100 characters of lowercase letters, digits, "_", "." or "-", starting with a letter or digit'),
  interval_s: z.number().int().min(10).max(30 * 86_400).describe('How often a ping is expected'),
  grace_s: z.number().int().min(0).max(7 * 86_400).default(300).describe('How late a ping may be before the alert is raised'),
  alert: z
    .strictObject({
      title: nonBlank(500).optional(),
      description: z.string().max(20_000).optional(),
      severity: z.enum(SEVERITIES).default('error'),
      labels: labelMapSchema.default({}),
    })
    .default({ severity: 'error', labels: {} })
    .describe('The alert a missed ping raises; routing rules match it as any other (label `heartbeat` is the name)'),
  destination_ids: z.array(z.string().min(1)).max(100).default([]).describe('Destinations the alert names itself; rules add more'),
});
export type HeartbeatInput = z.infer<typeof heartbeatInputSchema>;

/** `new`: no ping yet; `up`: pinged in time; `down`: a ping was missed and its alert is open. */
export const HEARTBEAT_STATUSES = ['new', 'up', 'down'] as const;
export type HeartbeatStatus = (typeof HEARTBEAT_STATUSES)[number];

export type Heartbeat = HeartbeatInput & {
  status: HeartbeatStatus;
  created_at: string;
  last_ping_at?: string;
  /** When the alert is raised if no ping comes first (while not down). */
  deadline_at: string;
  /** The open alert of the current miss, while down. */
  alert_id?: string;
  /** How many times a ping was missed so far. */
  misses: number;
};

/** When a ping is due at the latest, counted from the last ping (or the heartbeat's creation). */
export function deadlineAfter(from: string, heartbeat: Pick<HeartbeatInput, 'interval_s' | 'grace_s'>): string {
  return new Date(Date.parse(from) + (heartbeat.interval_s + heartbeat.grace_s) * 1000).toISOString();
}

/** The alert the heartbeat's `miss`-th miss raises; its id is fixed by the count, so a retried raise is the same alert. */
export function missedAlert(heartbeat: Heartbeat, miss: number, at: string): Alert {
  const since = heartbeat.last_ping_at ? `since ${heartbeat.last_ping_at}` : `since the heartbeat was created at ${heartbeat.created_at}`;
  return {
    id: `heartbeat-${heartbeat.name}-${miss}`,
    title: heartbeat.alert.title ?? `Heartbeat ${heartbeat.name} missed`,
    description: heartbeat.alert.description ?? `No ping ${since}; one is expected every ${formatDuration(heartbeat.interval_s * 1000)} (grace ${formatDuration(heartbeat.grace_s * 1000)}).`,
    severity: heartbeat.alert.severity,
    labels: { ...heartbeat.alert.labels, heartbeat: heartbeat.name },
    event: { type: 'heartbeat_missed', details: { heartbeat: heartbeat.name, ...(heartbeat.last_ping_at && { last_ping_at: heartbeat.last_ping_at }), deadline_at: heartbeat.deadline_at } },
    links: {},
    created_at: at,
  };
}

export const heartbeatWorkflowIdFor = (name: string) => `heartbeat:${name}`;
