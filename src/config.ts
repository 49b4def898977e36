// Environment → typed configuration, validated once at start-up (README "Configuration").
import { hkdfSync } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { SCOPES, type Scope } from './domain/api-scopes';
import type { FirstAttempt } from './workflows/alert/messages';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .default('false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce.number().int().min(1).max(65535);

const envSchema = z.object({
  PORT: port.default(8080),
  // key[:scope+scope],… — a key without scopes is admin (src/domain/api-scopes.ts).
  HERALD_API_KEYS: z
    .string()
    .optional()
    .transform((v) =>
      (v ? v.split(',').map((k) => k.trim()).filter(Boolean) : []).map((entry) => {
        const [key = '', scopes] = entry.split(':');
        return { key, scopes: scopes === undefined ? (['admin'] as Scope[]) : (scopes.split('+').map((s) => s.trim()) as Scope[]) };
      }),
    )
    .refine((keys) => keys.every((k) => k.key.length >= 16), 'every API key must be at least 16 characters')
    .refine(
      (keys) => keys.every((k) => k.scopes.length > 0 && k.scopes.every((s) => (SCOPES as readonly string[]).includes(s))),
      `a key's scopes (after ":", joined by "+") are of ${SCOPES.join(', ')}`,
    ),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^(\[[0-9A-Fa-f:.]+\]|[^\s:\[\]]+):\d+$/, 'must be host:port, e.g. localhost:7233 or [::1]:7233')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  HERALD_TASK_QUEUE: z.string().min(1).default('herald'),
  HERALD_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL, e.g. postgres://herald:secret@db:5432/herald')
    .optional(),
  HERALD_SECRET_KEY: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((k) => Buffer.from(k.trim(), 'base64')) : []))
    .refine((keys) => keys.every((k) => k.length === 32), 'must be one or more comma-separated base64 keys of 32 bytes (openssl rand -base64 32)'),
  HERALD_CODEC_KEY: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((k) => Buffer.from(k.trim(), 'base64')) : []))
    .refine((keys) => keys.every((k) => k.length === 32), 'must be one or more comma-separated base64 keys of 32 bytes (openssl rand -base64 32)'),
  HERALD_ACTION_LINK_KEY: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((k) => Buffer.from(k.trim(), 'base64')) : []))
    .refine((keys) => keys.every((k) => k.length === 32), 'must be one or more comma-separated base64 keys of 32 bytes (openssl rand -base64 32)'),
  // Provider webhooks in (README "Provider webhooks in"): each route exists only while it has a secret.
  HERALD_PAGERDUTY_WEBHOOK_SECRETS: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []))
    .refine((secrets) => secrets.every((s) => s.length >= 16), 'must be one or more comma-separated signing secrets of PagerDuty webhook subscriptions'),
  HERALD_INCIDENT_IO_WEBHOOK_SECRETS: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []))
    .refine((secrets) => secrets.every((s) => /^whsec_[A-Za-z0-9+/]+=*$/.test(s)), 'must be one or more comma-separated incident.io signing secrets (whsec_…)'),
  HERALD_ACTION_LINK_TTL_S: z.coerce.number().int().min(60).max(90 * 86_400).default(7 * 86_400),
  HERALD_ALLOW_PRIVATE_TARGETS: flag,
  HERALD_ALLOW_INSECURE_TARGETS: flag,
  // Embedded dev server (`start` only): where to find or build the Temporal CLI and which ports to use.
  TEMPORAL_CLI_PATH: z.string().optional(),
  HERALD_TEMPORAL_PORT: port.default(7233),
  HERALD_TEMPORAL_UI_PORT: port.default(8233),
  HERALD_PUBLIC_URL: z.string().url().optional(),
  HERALD_TEMPORAL_UI_URL: z.string().url().optional(),
  // The Temporal SDK's own worker metrics are exported here on loopback and appended to /metrics.
  // Unset: a free loopback port chosen at start, so several Herald processes on one host never collide.
  HERALD_SDK_METRICS_PORT: port.optional(),
  // `herald worker` serves /metrics (deliveries, SDK metrics) on this port, since it has no API.
  HERALD_METRICS_PORT: port.default(9464),
  // The Alertmanager/Grafana label that names an alert's asset (then `instance`, then `job`).
  HERALD_SOURCE_ASSET_LABEL: z.string().min(1).max(200).default('instance'),
  // Open alerts whose workflow state a worker keeps in memory; the rest are replayed from history when
  // their next signal or timer arrives (cheap: histories stay short, and reads never replay). Bounds
  // the worker's memory: the bench measured about 2 MB per cached alert (250 cached: 977 MB RSS with
  // 3 750 open; 50 cached: 518 MB).
  HERALD_WORKER_CACHED_ALERTS: z.coerce.number().int().min(0).max(100_000).default(50),
  // Where an event's first attempt runs: in the workflow task that asks for it (a local activity, no
  // round trip through the task queue), or scheduled like its retries. `scheduled` suits receivers
  // slow enough that a workflow task should not wait on them (README "Performance").
  HERALD_FIRST_ATTEMPT: z.enum(['in-workflow-task', 'scheduled']).default('in-workflow-task'),
  HERALD_ALERT_MAX_LIFETIME_S: z.coerce.number().min(1).max(10 * 365 * 86_400).default(30 * 86_400),
  HERALD_API_RATE_LIMIT: z.coerce.number().min(0).max(1_000_000).default(1000),
  HERALD_API_RATE_BURST: z.coerce.number().int().min(1).max(10_000_000).default(2000),
  HERALD_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(100 * 365).default(365),
  HERALD_TENANT_RETENTION_INTERVAL_S: z.coerce.number().int().min(10).max(7 * 86_400).default(3600),
  // Destinations (names or ids, comma-separated) that receive Herald's own events (README "Operational events").
  HERALD_OPERATIONS_DESTINATIONS: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((id) => id.trim()).filter(Boolean) : []))
    .pipe(z.array(z.string().max(200)).max(20, 'names at most 20 destinations')),
  // The operator console's built files; unset: dist/console, built by `npm run build`.
  HERALD_CONSOLE_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Every environment variable Herald reads. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export type Config = {
  port: number;
  apiKeys: string[];
  /** The scopes of each key of apiKeys; a key missing here is admin. */
  apiKeyScopes: ReadonlyMap<string, readonly Scope[]>;
  temporalAddress: string | undefined;
  namespace: string;
  taskQueue: string;
  dataDir: string;
  /** PostgreSQL for scale-out; unset: the SQLite file under dataDir. */
  databaseUrl: string | undefined;
  /** Encrypt destination secrets at rest; the first key encrypts, all decrypt. */
  secretKeys: Buffer[];
  /** Encrypt Temporal payloads when set (first key encrypts, all decrypt); empty: no payload encryption. */
  codecKeys: Buffer[];
  /**
   * Not from the environment: a secret path segment `herald start` makes at each start and gives the
   * embedded Temporal UI in its codec endpoint URL, so that UI decodes without an API key
   * (src/api/codec.ts).
   */
  uiCodecToken?: string;
  allowPrivateTargets: boolean;
  allowInsecureTargets: boolean;
  temporalCliPath: string | undefined;
  devServerPort: number;
  devServerUiPort: number;
  publicUrl: string;
  temporalUiUrl: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  alertMaxLifetimeMs: number;
  firstAttempt: FirstAttempt;
  /** Requests per second per API key (0: no limit), and the burst above it. */
  apiRateLimit: { perSecond: number; burst: number };
  /** How long audit entries are kept (GET /v1/audit); the worker forgets older ones. */
  auditRetentionMs: number;
  /** How often the worker applies the tenants' retention_days (README "Serving your customers"). */
  tenantRetentionIntervalMs: number;
  workerCachedAlerts: number;
  /** undefined: a free loopback port, chosen when the Temporal Runtime is installed. */
  sdkMetricsPort: number | undefined;
  sourceAssetLabel: string;
  metricsPort: number;
  /** undefined: the console built next to the compiled code (dist/console). */
  consoleDir: string | undefined;
  /** Names or ids of the destinations that receive Herald's own events (README "Operational events"). */
  operationsDestinations: string[];
  /**
   * One-click action links in what destinations receive (README "Action links"): on when
   * HERALD_PUBLIC_URL is set (an address people can reach). Signed with HERALD_ACTION_LINK_KEY, or
   * with keys derived from HERALD_SECRET_KEY when it is unset; the first key signs, all verify.
   */
  actionLinks?: { baseUrl: string; keys: Buffer[]; ttlMs: number };
  /** Signing secrets of PagerDuty and incident.io webhooks (README "Provider webhooks in"); none: the route is off. */
  providerWebhookSecrets: { pagerduty: string[]; incidentIo: string[] };
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        const value = env[name];
        const shown = value === undefined ? 'unset' : /KEY|SECRET|DATABASE_URL/.test(name) ? 'set' : JSON.stringify(value);
        return `${name} (${shown}): ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  const temporalUiUrl = e.HERALD_TEMPORAL_UI_URL ?? `http://localhost:${e.HERALD_TEMPORAL_UI_PORT}`;
  const linkKeys = actionLinkKeys(e.HERALD_ACTION_LINK_KEY, e.HERALD_SECRET_KEY);
  return {
    port: e.PORT,
    apiKeys: e.HERALD_API_KEYS.map((k) => k.key),
    apiKeyScopes: new Map(e.HERALD_API_KEYS.map((k) => [k.key, k.scopes])),
    temporalAddress: e.TEMPORAL_ADDRESS,
    namespace: e.TEMPORAL_NAMESPACE,
    taskQueue: e.HERALD_TASK_QUEUE,
    dataDir: path.resolve(e.HERALD_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    secretKeys: e.HERALD_SECRET_KEY,
    codecKeys: e.HERALD_CODEC_KEY,
    allowPrivateTargets: e.HERALD_ALLOW_PRIVATE_TARGETS,
    allowInsecureTargets: e.HERALD_ALLOW_INSECURE_TARGETS,
    temporalCliPath: e.TEMPORAL_CLI_PATH,
    devServerPort: e.HERALD_TEMPORAL_PORT,
    devServerUiPort: e.HERALD_TEMPORAL_UI_PORT,
    publicUrl: e.HERALD_PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    temporalUiUrl,
    logLevel: e.LOG_LEVEL,
    alertMaxLifetimeMs: e.HERALD_ALERT_MAX_LIFETIME_S * 1000,
    firstAttempt: e.HERALD_FIRST_ATTEMPT,
    apiRateLimit: { perSecond: e.HERALD_API_RATE_LIMIT, burst: e.HERALD_API_RATE_BURST },
    auditRetentionMs: e.HERALD_AUDIT_RETENTION_DAYS * 86_400_000,
    tenantRetentionIntervalMs: e.HERALD_TENANT_RETENTION_INTERVAL_S * 1000,
    workerCachedAlerts: e.HERALD_WORKER_CACHED_ALERTS,
    sdkMetricsPort: e.HERALD_SDK_METRICS_PORT,
    sourceAssetLabel: e.HERALD_SOURCE_ASSET_LABEL,
    metricsPort: e.HERALD_METRICS_PORT,
    consoleDir: e.HERALD_CONSOLE_DIR && path.resolve(e.HERALD_CONSOLE_DIR),
    operationsDestinations: e.HERALD_OPERATIONS_DESTINATIONS,
    providerWebhookSecrets: { pagerduty: e.HERALD_PAGERDUTY_WEBHOOK_SECRETS, incidentIo: e.HERALD_INCIDENT_IO_WEBHOOK_SECRETS },
    ...(e.HERALD_PUBLIC_URL && linkKeys.length > 0 && { actionLinks: { baseUrl: e.HERALD_PUBLIC_URL.replace(/\/$/, ''), keys: linkKeys, ttlMs: e.HERALD_ACTION_LINK_TTL_S * 1000 } }),
  };
}

/** HERALD_ACTION_LINK_KEY's keys, or one derived from each HERALD_SECRET_KEY key (so rotating that one rotates links too). */
function actionLinkKeys(own: Buffer[], secretKeys: Buffer[]): Buffer[] {
  if (own.length > 0) return own;
  return secretKeys.map((key) => Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'herald action links', 32)));
}
