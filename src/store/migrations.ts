import { incidentRef } from '../domain/provider-webhooks';
import { DEFAULT_RATE_LIMITS } from '../domain/rate-limit';
import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, type Migration } from 'kysely';

// Append only: a migration that has run somewhere is never edited.
export const migrations: Record<string, Migration> = {
  '0001_destinations': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('destinations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('config', 'text', (c) => c.notNull())
        .addColumn('retry_schedule', 'text', (c) => c.notNull())
        .addColumn('timeout_s', 'real', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0002_rules_and_filters': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('destinations').addColumn('filters', 'text', (c) => c.notNull().defaultTo('{}')).execute();
      await db.schema
        .alterTable('destinations')
        .addColumn('needs_attention', 'text') // why deliveries stopped (e.g. 410 Gone); null when fine
        .execute();
      await db.schema
        .createTable('rules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('match', 'text', (c) => c.notNull())
        .addColumn('destination_ids', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0003_sent_messages': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('sent_messages')
        .addColumn('delivery_id', 'text', (c) => c.primaryKey())
        .addColumn('destination_id', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  // The read model (docs/architecture.md, "What lives where"): an alert's status and current
  // document, each event's outbound body (the claim-check the delivery activity reads), and every
  // destination's lane, events and attempts, written as they happen.
  '0004_read_model': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('alerts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('task_queue', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('delivery_state', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('asset', 'text')
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('last_sequence', 'integer', (c) => c.notNull())
        .addColumn('announced_sequence', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('closure', 'text')
        .addColumn('termination', 'text')
        .addColumn('skipped_destinations', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('closed_at', 'text')
        .execute();
      await db.schema.createIndex('alerts_by_queue_created').on('alerts').columns(['task_queue', 'created_at', 'id']).execute();
      await db.schema.createIndex('alerts_by_queue_status').on('alerts').columns(['task_queue', 'status']).execute();
      await db.schema
        .createTable('alert_events')
        .addColumn('alert_id', 'text', (c) => c.notNull())
        .addColumn('sequence', 'integer', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('alert_events_pk', ['alert_id', 'sequence'])
        .execute();
      await db.schema
        .createTable('alert_lanes')
        .addColumn('alert_id', 'text', (c) => c.notNull())
        .addColumn('destination_id', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('rules', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('coalesced_updates', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('incident', 'text')
        .addPrimaryKeyConstraint('alert_lanes_pk', ['alert_id', 'destination_id'])
        .execute();
      await db.schema.createIndex('alert_lanes_by_destination').on('alert_lanes').columns(['destination_id', 'alert_id']).execute();
      await db.schema.createIndex('alert_lanes_by_name').on('alert_lanes').columns(['name', 'alert_id']).execute();
      await db.schema
        .createTable('lane_events')
        .addColumn('alert_id', 'text', (c) => c.notNull())
        .addColumn('destination_id', 'text', (c) => c.notNull())
        .addColumn('sequence', 'integer', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('delivery_id', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text')
        .addColumn('coalesced', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('lane_events_pk', ['alert_id', 'destination_id', 'sequence'])
        .execute();
      await db.schema.createIndex('lane_events_by_state').on('lane_events').columns(['alert_id', 'destination_id', 'state']).execute();
      await db.schema
        .createTable('delivery_attempts')
        .addColumn('alert_id', 'text', (c) => c.notNull())
        .addColumn('destination_id', 'text', (c) => c.notNull())
        .addColumn('sequence', 'integer', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('duration_ms', 'real')
        .addColumn('error', 'text')
        .addColumn('note', 'text')
        .addColumn('response_excerpt', 'text')
        .addColumn('validators', 'text')
        .addPrimaryKeyConstraint('delivery_attempts_pk', ['alert_id', 'destination_id', 'sequence', 'attempt'])
        .execute();
    },
  },
  '0005_audit_log': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'text', (c) => c.primaryKey()) // aud_<time><random>: sorts by time
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull()) // the acting key's, comma-separated
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text', (c) => c.notNull())
        .addColumn('target_id', 'text', (c) => c.notNull())
        .addColumn('changes', 'text')
        .addColumn('link', 'text')
        .execute();
      await db.schema.createIndex('audit_log_by_target').on('audit_log').columns(['target_type', 'target_id', 'id']).execute();
      await db.schema.createIndex('audit_log_by_at').on('audit_log').columns(['at']).execute();
    },
  },
  // Grouping (src/domain/grouping.ts): a rule's policy; each group episode, its members, its
  // notifications (the claim-check its lanes read) and its lanes' deliveries.
  '0006_groups': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('rules').addColumn('grouping', 'text').execute(); // JSON policy; null: no grouping
      await db.schema
        .createTable('alert_groups')
        .addColumn('id', 'text', (c) => c.primaryKey()) // <key_id>.<episode>
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('episode', 'integer', (c) => c.notNull())
        .addColumn('task_queue', 'text', (c) => c.notNull())
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('policy', 'text', (c) => c.notNull())
        .addColumn('destination_ids', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull()) // firing | resolved
        .addColumn('firing_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('member_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_sequence', 'integer', (c) => c.notNull().defaultTo(-1)) // -1: nothing notified yet
        .addColumn('notified_at', 'text')
        .addColumn('changed_at', 'text', (c) => c.notNull()) // the newest join or leave
        .addColumn('change_pending', 'integer', (c) => c.notNull().defaultTo(1)) // joins and leaves since the newest compose
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('resolved_at', 'text')
        .addUniqueConstraint('alert_groups_key_episode', ['key_id', 'episode'])
        .execute();
      await db.schema.createIndex('alert_groups_by_queue_created').on('alert_groups').columns(['task_queue', 'created_at', 'id']).execute();
      await db.schema
        .createTable('group_members')
        .addColumn('group_id', 'text', (c) => c.notNull())
        .addColumn('alert_id', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull()) // join order
        .addColumn('status', 'text', (c) => c.notNull()) // firing | resolved
        .addColumn('notified', 'text', (c) => c.notNull()) // what the last notification said: none | firing | resolved
        .addColumn('joined_at', 'text', (c) => c.notNull())
        .addColumn('resolved_at', 'text')
        .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'alert_id'])
        .execute();
      await db.schema.createIndex('group_members_by_alert').on('group_members').columns(['alert_id']).execute();
      await db.schema.createIndex('group_members_by_position').on('group_members').columns(['group_id', 'status', 'position']).execute();
      await db.schema
        .createTable('group_notifications')
        .addColumn('group_id', 'text', (c) => c.notNull())
        .addColumn('sequence', 'integer', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('firing_count', 'integer', (c) => c.notNull())
        .addColumn('resolved_count', 'integer', (c) => c.notNull())
        .addColumn('body', 'text') // dropped once the episode is done
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('group_notifications_pk', ['group_id', 'sequence'])
        .execute();
      await db.schema
        .createTable('group_lanes')
        .addColumn('group_id', 'text', (c) => c.notNull())
        .addColumn('destination_id', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('incident', 'text')
        .addPrimaryKeyConstraint('group_lanes_pk', ['group_id', 'destination_id'])
        .execute();
      await db.schema
        .createTable('group_deliveries')
        .addColumn('group_id', 'text', (c) => c.notNull())
        .addColumn('destination_id', 'text', (c) => c.notNull())
        .addColumn('sequence', 'integer', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('delivery_id', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('last_attempt', 'text') // JSON Attempt
        .addColumn('next_attempt_at', 'text')
        .addColumn('coalesced', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('group_deliveries_pk', ['group_id', 'destination_id', 'sequence'])
        .execute();
    },
  },
  // Silences (src/domain/silences.ts), and the silence that holds an alert.
  '0007_silences': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('silences')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('task_queue', 'text', (c) => c.notNull())
        .addColumn('matchers', 'text', (c) => c.notNull())
        .addColumn('asset', 'text')
        .addColumn('starts_at', 'text', (c) => c.notNull())
        .addColumn('ends_at', 'text', (c) => c.notNull())
        .addColumn('expired_at', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('comment', 'text', (c) => c.notNull())
        .addColumn('expire_on_resolve', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('silences_by_queue_end').on('silences').columns(['task_queue', 'ends_at']).execute();
      await db.schema.alterTable('alerts').addColumn('silenced_by', 'text').execute(); // the silence holding the alert now
      await db.schema.alterTable('alerts').addColumn('silenced_until', 'text').execute();
      await db.schema.alterTable('alerts').addColumn('held_by', 'text').execute(); // every silence that ever held it, comma-separated
      await db.schema.createIndex('alerts_by_silence').on('alerts').columns(['silenced_by']).execute();
    },
  },
  // Inhibition rules (src/domain/inhibition.ts), and the open alert that inhibits an alert.
  '0008_inhibition': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('inhibit_rules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('task_queue', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('source_matchers', 'text', (c) => c.notNull())
        .addColumn('target_matchers', 'text', (c) => c.notNull())
        .addColumn('equal', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.alterTable('alerts').addColumn('inhibited_by', 'text').execute();
      await db.schema.createIndex('alerts_by_inhibitor').on('alerts').columns(['inhibited_by']).execute();
    },
  },
  '0009_mute_windows': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('destinations').addColumn('mute_windows', 'text', (c) => c.notNull().defaultTo('[]')).execute();
      await db.schema.alterTable('rules').addColumn('mute_windows', 'text', (c) => c.notNull().defaultTo('[]')).execute();
      await db.schema.alterTable('lane_events').addColumn('muted_by', 'text').execute(); // the window holding or that dropped the event
      await db.schema.alterTable('group_deliveries').addColumn('muted_by', 'text').execute();
    },
  },
  '0010_circuits': {
    async up(db: Kysely<any>) {
      // JSON circuit breaker policy (src/domain/circuit.ts); '{}' takes the defaults.
      await db.schema.alterTable('destinations').addColumn('circuit_breaker', 'text', (c) => c.notNull().defaultTo('{}')).execute();
      await db.schema
        .createTable('destination_circuits')
        .addColumn('destination_id', 'text', (c) => c.primaryKey())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('since', 'text', (c) => c.notNull())
        .addColumn('consecutive_failures', 'integer', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('next_probe_at', 'text')
        .addColumn('cooldown_s', 'integer', (c) => c.notNull())
        .addColumn('prober', 'text')
        .addColumn('probe_until', 'text')
        .execute();
    },
  },
  // Destination health (README "Destination health"): one row per attempt actually sent to a
  // destination, an alert's or a group's, kept for a day and a little more; and the outage a circuit is
  // in (its start survives failed probes), for auto-disable.
  '0011_destination_health': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('destination_attempts')
        .addColumn('destination_id', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('delivery_id', 'text', (c) => c.notNull())
        .addColumn('ok', 'integer', (c) => c.notNull())
        .addColumn('duration_ms', 'real', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('error', 'text')
        .execute();
      await db.schema.createIndex('destination_attempts_by_destination').on('destination_attempts').columns(['destination_id', 'at']).execute();
      await db.schema.createIndex('destination_attempts_by_time').on('destination_attempts').columns(['at']).execute();
      // Bulk recovery finds a destination's failed events without reading every alert's lanes.
      await db.schema.createIndex('lane_events_by_destination_state').on('lane_events').columns(['destination_id', 'state']).execute();
      await db.schema.alterTable('destination_circuits').addColumn('outage_since', 'text').execute();
    },
  },
  // Rate limits (README "Rate limits"): each destination's limit, Slack's and PagerDuty's documented
  // ones for the destinations that exist, and the next free slot every worker reserves from.
  '0012_rate_limits': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('destinations').addColumn('rate_limit', 'text', (c) => c.notNull().defaultTo('null')).execute();
      for (const [type, limit] of Object.entries(DEFAULT_RATE_LIMITS)) {
        if (limit) await db.updateTable('destinations').set({ rate_limit: JSON.stringify(limit) }).where('type', '=', type).execute();
      }
      await db.schema
        .createTable('destination_rates')
        .addColumn('destination_id', 'text', (c) => c.primaryKey())
        .addColumn('tat', 'double precision', (c) => c.notNull())
        .execute();
    },
  },
  // The response loop: acknowledgements (README "Acknowledge"), the alert's newest ones, which every
  // signal to its workflow carries, so it knows each event's kind whatever order the signals arrive
  // in; and rules that make the alerts they match resolve themselves (README "Auto-resolve").
  '0013_response_loop': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('alerts').addColumn('acks', 'text', (c) => c.notNull().defaultTo('[]')).execute();
      await db.schema.alterTable('rules').addColumn('auto_resolve_after_s', 'integer').execute();
    },
  },
  // Heartbeats (README "Heartbeats"): one row per dead man's switch, its last ping and open miss.
  '0014_heartbeats': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('heartbeats')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('task_queue', 'text', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_ping_at', 'text')
        .addColumn('deadline_at', 'text', (c) => c.notNull())
        .addColumn('alert_id', 'text')
        .addColumn('misses', 'integer', (c) => c.notNull())
        .execute();
    },
  },
  // Action links (README "Action links"): the ones used, so each acts once.
  '0015_action_links': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('action_link_uses')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('alert_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  // Escalation policies (README "Escalation policies"): the policies, the rule that routes to one,
  // and each alert's escalation as it went (its policy as it was, each step fired).
  '0016_escalation': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('escalation_policies')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.alterTable('rules').addColumn('escalation_policy_id', 'text').execute();
      await db.schema.alterTable('alerts').addColumn('escalation', 'text').execute();
    },
  },
  // Provider webhooks in (README "Provider webhooks in"): each lane's incident findable by provider and id.
  '0017_incident_refs': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('alert_lanes').addColumn('incident_ref', 'text').execute();
      await db.schema.createIndex('alert_lanes_by_incident_ref').on('alert_lanes').column('incident_ref').execute();
      // Lanes that opened an incident before: their reference, read from the JSON in JS (one way for both databases).
      const lanes = await db.selectFrom('alert_lanes').select(['alert_id', 'destination_id', 'incident']).where('incident', 'is not', null).execute();
      for (const lane of lanes) {
        const incident = JSON.parse(lane.incident) as { provider: string; id: string };
        await db.updateTable('alert_lanes').set({ incident_ref: incidentRef(incident) }).where('alert_id', '=', lane.alert_id).where('destination_id', '=', lane.destination_id).execute();
      }
    },
  },
  // The console's overview (README "Operator console"): which failed attempt was an event's last.
  '0018_attempt_gave_up': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('destination_attempts').addColumn('gave_up', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    },
  },
  // Routing reads the rules again only when their revision moved (src/store/rules.ts enabledIndex):
  // every write of the rules table moves it, in the same transaction.
  '0020_rule_revision': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('revisions').addColumn('name', 'text', (c) => c.primaryKey()).addColumn('revision', 'integer', (c) => c.notNull()).execute();
      await db.insertInto('revisions').values({ name: 'rules', revision: 0 }).execute();
    },
  },
  // Traces (README "Traces (OpenTelemetry)"): the W3C traceparent of the request that kept each event,
  // so its delivery attempts join that request's trace (src/telemetry/attempt-span.ts). Null when
  // nothing was traced; events kept before this migration have none.
  '0021_event_trace_parent': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('alert_events').addColumn('trace_parent', 'text').execute();
    },
  },
  // Tenants (README "Serving your customers"): the customers one Herald serves, the keys bound to one
  // of them, and the tenant every tenant-owned row belongs to. Rows from before belong to `default`,
  // which keeps single-tenant use as it was. Names unique per tenant instead of globally: SQLite cannot
  // drop a column's UNIQUE, so those tables are built again (rebuildTenanted below), on both databases alike.
  '0022_tenants': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('tenants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('ingest_per_second', 'real') // null: no limit of its own (the limits come later, issue 22)
        .addColumn('max_destinations', 'integer')
        .addColumn('retention_days', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      const now = new Date().toISOString();
      await db.insertInto('tenants').values({ id: 'default', name: 'Default', created_at: now, updated_at: now }).execute();
      await db.schema
        .createTable('tenant_keys')
        .addColumn('id', 'text', (c) => c.primaryKey()) // key_<12 hex of the digest>, as the audit log names keys
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('digest', 'text', (c) => c.notNull()) // SHA-256 of the key, hex: the key itself is shown once
        .addColumn('prefix', 'text', (c) => c.notNull()) // the key's first characters, to tell keys apart in lists
        .addColumn('scopes', 'text', (c) => c.notNull()) // comma-separated
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('tenant_keys_by_tenant').on('tenant_keys').columns(['tenant_id', 'created_at']).execute();

      const tenant = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo('default');
      await rebuildTenanted(db, 'destinations', (t) =>
        t
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant_id', 'text', tenant)
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('enabled', 'integer', (c) => c.notNull())
          .addColumn('config', 'text', (c) => c.notNull())
          .addColumn('retry_schedule', 'text', (c) => c.notNull())
          .addColumn('timeout_s', 'real', (c) => c.notNull())
          .addColumn('filters', 'text', (c) => c.notNull().defaultTo('{}'))
          .addColumn('needs_attention', 'text')
          .addColumn('mute_windows', 'text', (c) => c.notNull().defaultTo('[]'))
          .addColumn('circuit_breaker', 'text', (c) => c.notNull().defaultTo('{}'))
          .addColumn('rate_limit', 'text', (c) => c.notNull().defaultTo('null'))
          .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('destinations_tenant_name', ['tenant_id', 'name']),
      );
      await rebuildTenanted(db, 'rules', (t) =>
        t
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant_id', 'text', tenant)
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('enabled', 'integer', (c) => c.notNull())
          .addColumn('match', 'text', (c) => c.notNull())
          .addColumn('destination_ids', 'text', (c) => c.notNull())
          .addColumn('grouping', 'text')
          .addColumn('mute_windows', 'text', (c) => c.notNull().defaultTo('[]'))
          .addColumn('auto_resolve_after_s', 'integer')
          .addColumn('escalation_policy_id', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('rules_tenant_name', ['tenant_id', 'name']),
      );
      await rebuildTenanted(db, 'escalation_policies', (t) =>
        t
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant_id', 'text', tenant)
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('settings', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('escalation_policies_tenant_name', ['tenant_id', 'name']),
      );
      // The rest keep their keys for now: heartbeat names and alert ids stay unique across tenants
      // until their routes are tenant-scoped (issue 22).
      for (const table of ['silences', 'inhibit_rules', 'heartbeats', 'alerts', 'alert_groups']) {
        await db.schema.alterTable(table).addColumn('tenant_id', 'text', tenant).execute();
      }
      await db.schema.createIndex('alerts_by_tenant_created').on('alerts').columns(['tenant_id', 'created_at', 'id']).execute();
    },
  },
  // A trigger answered 503 because Temporal was unreachable keeps its rows, and its workflow's start
  // is owed (README "API", its errors): the start may have reached Temporal after all, and
  // its run may have sent the trigger already, so a retry must find the same alert, not a new one.
  '0023_start_owed': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('alerts').addColumn('start_owed', 'text').execute();
    },
  },
  // Portal links (README "A portal for each customer"): a portal link is a tenant key that expires and
  // reaches only the routes the portal needs (src/store/tenant-keys.ts).
  '0024_portal_links': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('tenant_keys').addColumn('expires_at', 'text').execute(); // null: never (an ordinary key)
      await db.schema.alterTable('tenant_keys').addColumn('portal', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      // A tenant's portal settings, in a table of their own: a tenant without a row has none (no origin may frame it).
      await db.schema
        .createTable('tenant_portals')
        .addColumn('tenant_id', 'text', (c) => c.primaryKey())
        .addColumn('origins', 'text', (c) => c.notNull()) // JSON array of origins
        .addColumn('theme', 'text') // JSON object, or null
        .execute();
    },
  },
  // DELETE /v1/tenants/{tenant} of a tenant that owns rows (README "Serving your customers"): marked,
  // then purged by its workflow once its alerts are dismissed and their workflows done.
  '0025_tenant_deleting': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('tenants').addColumn('deleting_since', 'text').execute(); // null: not being deleted
    },
  },
  // A tenant's key reads its tenant's audit entries only (README "Serving your customers"). Entries
  // from before keep null: they were made before tenants had routes, so only operators read them.
  '0026_audit_tenant': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('audit_log').addColumn('tenant_id', 'text').execute();
      await db.schema.createIndex('audit_log_by_tenant').on('audit_log').columns(['tenant_id', 'id']).execute();
    },
  },
};

/**
 * Builds `table` again as `define` says, its rows copied (every column of the old table; the new
 * ones take their defaults), then puts it in the old one's place. The new table is made under
 * another name first, so PostgreSQL's constraint names never clash with the old table's.
 */
async function rebuildTenanted(db: Kysely<any>, table: string, define: (t: CreateTableBuilder<string, never>) => CreateTableBuilder<string, never>): Promise<void> {
  const next = `${table}_0022`;
  await define(db.schema.createTable(next)).execute();
  const columns = (await db.introspection.getTables()).find((t) => t.name === table)!.columns.map((c) => sql.id(c.name));
  await sql`INSERT INTO ${sql.id(next)} (${sql.join(columns)}) SELECT ${sql.join(columns)} FROM ${sql.id(table)}`.execute(db);
  await db.schema.dropTable(table).execute();
  await db.schema.alterTable(next).renameTo(table).execute();
}
