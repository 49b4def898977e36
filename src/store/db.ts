// The typed query layer over the embedded SQLite file or PostgreSQL (docs/architecture.md). Kysely keeps the queries
// dialect-neutral so PostgreSQL can sit behind the same repositories.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type ColumnType } from 'kysely';
import { Pool } from 'pg';
import { migrations } from './migrations';
import { reusingStatements } from './sqlite-statements';

export type DestinationRow = {
  id: string;
  name: string;
  type: string;
  enabled: number;
  config: string;
  retry_schedule: string;
  timeout_s: number;
  filters: string;
  /** JSON list of mute windows (README "Mute windows"). */
  mute_windows: string;
  /** JSON circuit breaker policy (README "Circuit breaker"). */
  circuit_breaker: string;
  /** JSON rate limit, or 'null' (README "Rate limits"). */
  rate_limit: string;
  needs_attention: string | null;
  created_at: string;
  updated_at: string;
};

export type RuleRow = {
  id: string;
  name: string;
  enabled: number;
  match: string;
  destination_ids: string;
  grouping: string | null;
  /** JSON list of mute windows for the routes the rule chooses. */
  mute_windows: string;
  auto_resolve_after_s: number | null;
  /** The escalation policy the rule routes to (README "Escalation policies"). */
  escalation_policy_id: string | null;
  created_at: string;
  updated_at: string;
};

export type AlertRow = {
  id: string;
  /** The Herald (task queue) that owns the alert: one database may serve several. */
  task_queue: string;
  status: string;
  delivery_state: string;
  title: string;
  severity: string;
  event_type: string;
  asset: string | null;
  /** The alert as it stands now (JSON), every update folded in. */
  document: string;
  /** The newest event's sequence: 0 is the trigger, then updates, then at most one closing event. */
  last_sequence: number;
  /** The newest sequence the workflow was told of; behind last_sequence while a signal is owed. */
  announced_sequence: number;
  closure: string | null;
  /** Set when the workflow ended without closing the alert (terminated, failed, timed out). */
  termination: string | null;
  skipped_destinations: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  /** The silence holding the alert now, and until when (README "Silences"). */
  silenced_by: string | null;
  silenced_until: string | null;
  /** Every silence that ever held the alert, comma-separated. */
  held_by: string | null;
  /** The open alert whose inhibition rule holds this one now (README "Inhibition"). */
  inhibited_by: string | null;
  /** The newest acknowledgements and their withdrawals (JSON AckMark[], at most ACK_MARKS_KEPT; README "Acknowledge"). */
  acks: string;
  /** The alert's escalation (JSON EscalationRecord, README "Escalation policies"), when a policy routes it. */
  escalation: string | null;
  /** Set while the alert's workflow start is owed (JSON OwedStart): its trigger was answered 503. */
  start_owed: string | null;
};

export type EscalationPolicyRow = { id: string; name: string; settings: string; created_at: string; updated_at: string };

export type HeartbeatRow = {
  name: string;
  task_queue: string;
  /** The heartbeat's settings (JSON HeartbeatInput minus name). */
  settings: string;
  /** SHA-256 of the ping token (the token itself is shown once, at creation). */
  token_hash: string;
  status: string;
  created_at: string;
  last_ping_at: string | null;
  deadline_at: string;
  alert_id: string | null;
  misses: number;
};

/** An action link that was used (README "Action links"): each acts once. */
export type ActionLinkUseRow = { token_hash: string; alert_id: string; action: string; used_at: string };

export type InhibitRuleRow = { id: string; task_queue: string; name: string; source_matchers: string; target_matchers: string; equal: string; created_at: string };

export type SilenceRow = {
  id: string;
  task_queue: string;
  matchers: string;
  asset: string | null;
  starts_at: string;
  ends_at: string;
  expired_at: string | null;
  created_by: string;
  comment: string;
  expire_on_resolve: number;
  created_at: string;
};

export type AlertEventRow = {
  alert_id: string;
  sequence: number;
  event_type: string;
  body: string;
  created_at: string;
  /** The W3C traceparent of whoever kept the event (migration 0021); null when nothing was traced. */
  trace_parent: string | null;
};

export type AlertLaneRow = {
  alert_id: string;
  destination_id: string;
  /** Routing order, so GET lists destinations as the alert's routing chose them. */
  position: number;
  name: string;
  type: string;
  rules: string;
  state: string;
  coalesced_updates: number;
  incident: string | null;
  /** `provider:id` of `incident`, so a provider's webhook finds its lane (README "Provider webhooks in"). */
  incident_ref: string | null;
};

export type LaneEventRow = {
  alert_id: string;
  destination_id: string;
  sequence: number;
  event_type: string;
  delivery_id: string;
  state: string;
  next_attempt_at: string | null;
  /** How many earlier updates this one stood for (they were never sent on their own). */
  coalesced: number;
  /** The mute window that holds (state `held`) or dropped (state `muted`) the event. */
  muted_by: string | null;
};

export type DeliveryAttemptRow = {
  alert_id: string;
  destination_id: string;
  sequence: number;
  attempt: number;
  started_at: string;
  status_code: number | null;
  duration_ms: number | null;
  error: string | null;
  note: string | null;
  response_excerpt: string | null;
  validators: string | null;
};

export type AuditRow = {
  id: string;
  at: string;
  /** Which API key acted: a digest prefix, never the key (src/api/auth.ts). */
  key_id: string;
  /** The acting key's scopes, comma-separated. */
  scopes: string;
  action: string;
  target_type: string;
  target_id: string;
  /** JSON: the fields that changed, `{field: {from, to}}`, secrets masked; null when nothing did. */
  changes: string | null;
  /** Where the rest is told, e.g. the alert whose workflow history holds the action. */
  link: string | null;
  /** The tenant the change was made in (migration 0026_audit_tenant); null: the operator's own, or from before. */
  tenant_id: string | null;
};

export type AlertGroupRow = {
  id: string;
  /** Stable over the group's episodes (src/domain/grouping.ts, groupIdentity). */
  key_id: string;
  episode: number;
  task_queue: string;
  /** JSON GroupOrigin: the rule or the sender whose policy made the group. */
  origin: string;
  name: string;
  key: string;
  policy: string;
  destination_ids: string;
  status: string;
  firing_count: number;
  member_count: number;
  /** The newest notification's sequence (0 is `group.triggered`); -1 before the first. */
  last_sequence: number;
  notified_at: string | null;
  /** The newest join or leave, and how many came after the newest compose (the first one tells the workflow). */
  changed_at: string;
  change_pending: number;
  created_at: string;
  updated_at: string;
  resolved_at: string | null;
};

export type GroupMemberRow = {
  group_id: string;
  alert_id: string;
  position: number;
  status: string;
  notified: string;
  joined_at: string;
  resolved_at: string | null;
};

export type GroupNotificationRow = {
  group_id: string;
  sequence: number;
  event_type: string;
  reason: string;
  firing_count: number;
  resolved_count: number;
  body: string | null;
  created_at: string;
};

export type GroupLaneRow = { group_id: string; destination_id: string; position: number; name: string; type: string; state: string; incident: string | null };

export type GroupDeliveryRow = {
  group_id: string;
  destination_id: string;
  sequence: number;
  event_type: string;
  delivery_id: string;
  state: string;
  attempts: number;
  last_attempt: string | null;
  next_attempt_at: string | null;
  coalesced: number;
  muted_by: string | null;
};

/** A destination's circuit (src/domain/circuit.ts); no row is a closed circuit that never failed. */
export type DestinationCircuitRow = {
  destination_id: string;
  state: string;
  since: string;
  consecutive_failures: number;
  last_error: string | null;
  next_probe_at: string | null;
  cooldown_s: number;
  prober: string | null;
  probe_until: string | null;
  outage_since: string | null;
};

/** The next free slot of a destination's rate limit, in epoch ms (src/domain/rate-limit.ts). */
export type DestinationRateRow = { destination_id: string; tat: number };

export type DestinationAttemptRow = {
  destination_id: string;
  at: string;
  delivery_id: string;
  ok: number;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  /** 1 on an event's last attempt when it failed for good (the overview's "failed"); 0 by default. */
  gave_up: ColumnType<number, number | undefined, number>;
};

/** A customer Herald serves (migration 0022, README "Serving your customers"); `default` holds the single-tenant rows. */
export type TenantRow = {
  id: string;
  name: string;
  /** Limits and retention of the tenant's own (null: none); read by the work issue 22 leaves for later. */
  ingest_per_second: number | null;
  max_destinations: number | null;
  retention_days: number | null;
  /** When DELETE asked for its purge (migration 0025_tenant_deleting); null while it is in use. */
  deleting_since: string | null;
  created_at: string;
  updated_at: string;
};

/** An API key bound to one tenant: its SHA-256 digest (hex), never the key. */
export type TenantKeyRow = {
  id: string;
  tenant_id: string;
  digest: string;
  prefix: string;
  scopes: string;
  created_at: string;
  /** Migration 0024_portal_links: when a portal link stops working (null: an ordinary key, which never does). */
  expires_at: ColumnType<string | null, string | null | undefined, never>;
  /** 1 for a portal link, 0 for an ordinary tenant key. */
  portal: ColumnType<number, number | undefined, never>;
};

/** The tenant a row belongs to: set once, at insert (default `default`), never changed. */
export type Tenanted = { tenant_id: ColumnType<string, string | undefined, never> };

export type Schema = {
  tenants: TenantRow;
  tenant_keys: TenantKeyRow;
  tenant_portals: { tenant_id: string; origins: string; theme: string | null };
  destinations: DestinationRow & Tenanted;
  destination_circuits: DestinationCircuitRow;
  destination_attempts: DestinationAttemptRow;
  destination_rates: DestinationRateRow;
  rules: RuleRow & Tenanted;
  /** A counter per table whose readers cache it (migration 0020): `rules`. */
  revisions: { name: string; revision: number };
  escalation_policies: EscalationPolicyRow & Tenanted;
  sent_messages: { delivery_id: string; destination_id: string; sent_at: string };
  alerts: AlertRow & Tenanted;
  heartbeats: HeartbeatRow & Tenanted;
  action_link_uses: ActionLinkUseRow;
  alert_events: AlertEventRow;
  alert_lanes: AlertLaneRow;
  lane_events: LaneEventRow;
  delivery_attempts: DeliveryAttemptRow;
  audit_log: AuditRow;
  silences: SilenceRow & Tenanted;
  inhibit_rules: InhibitRuleRow & Tenanted;
  alert_groups: AlertGroupRow & Tenanted;
  group_members: GroupMemberRow;
  group_notifications: GroupNotificationRow;
  group_lanes: GroupLaneRow;
  group_deliveries: GroupDeliveryRow;
};

export type Db = Kysely<Schema>;

/**
 * PostgreSQL for scale-out: any number of api and worker processes share it. A connection that the
 * server drops (a restart, a failover), idle in the pool or held by a query or transaction, is
 * reported to `onConnectionError`: unhandled, pg would throw it and stop the process. The query it
 * held fails (503 at the API, a retry for an activity) and the pool opens a new connection.
 */
export function openPostgres(url: string, onConnectionError: (err: Error) => void = () => {}): Db {
  const pool = new Pool({ connectionString: url, max: 10 });
  pool.on('error', onConnectionError);
  pool.on('connect', (client) => client.on('error', onConnectionError));
  return new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
}

// SQLSTATEs of a server going away or not yet back: admin_shutdown, crash_shutdown, cannot_connect_now.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03']);

/** True when the store could not be reached or went away mid-query (answered as 503, not 500). */
export function isStoreUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (typeof e?.code === 'string' && (UNAVAILABLE_SQLSTATES.has(e.code) || ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(e.code))) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(e?.message ?? '');
}

export function openSqlite(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const sqlite = new Database(path.join(dataDir, 'herald.db'));
  // WAL lets the API and worker of one `start` process read while the other writes.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  return new Kysely<Schema>({ dialect: new SqliteDialect({ database: reusingStatements(sqlite) }) });
}

/** Safe when several processes start at once: Kysely's migrator takes a lock first. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
