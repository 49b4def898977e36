// Herald's workflows on the time-skipping test server, with the real activities over a real SQLite
// store: what a workflow test needs to drive alerts as the API drives them (AlertActions: the store
// first, then a signal) and read them back from the read model.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import { createActivities } from '../../src/activities';
import { AlertActions } from '../../src/api/alert-actions';
import { LegacyAlerts } from '../../src/api/legacy-alerts';
import { HeartbeatActions } from '../../src/api/heartbeats';
import { HeartbeatWorkflows } from '../../src/temporal/heartbeat-workflows';
import { HttpClient } from '../../src/destinations/http-client';
import { createRegistry } from '../../src/destinations/registry';
import { AlertStore } from '../../src/store/alerts';
import { AlertViews } from '../../src/store/alert-views';
import { AttemptLog } from '../../src/store/attempt-log';
import { CircuitStore } from '../../src/store/circuits';
import { migrateToLatest, openSqlite, type Db } from '../../src/store/db';
import { DestinationStore } from '../../src/store/destinations';
import { GroupStore } from '../../src/store/groups';
import { HeartbeatStore } from '../../src/store/heartbeats';
import { TenantStore } from '../../src/store/tenants';
import { InhibitionStore } from '../../src/store/inhibitions';
import { RateLimitStore } from '../../src/store/rate-limits';
import { RuleStore } from '../../src/store/rules';
import { EscalationPolicyStore } from '../../src/store/escalation-policies';
import { SecretBox } from '../../src/store/secret-box';
import { SentMessageStore } from '../../src/store/sent-messages';
import { SilenceStore } from '../../src/store/silences';
import { AlertWorkflows } from '../../src/temporal/alert-workflows';
import { GroupWorkflows } from '../../src/temporal/group-workflows';
import { HeldEvents, signalThrough } from '../../src/temporal/held-events';
import { NO_OPERATIONAL_EVENTS } from '../../src/temporal/operations';
import { ensureSearchAttributes } from '../../src/temporal/search-attribute-registration';
import { createTimeSkippingEnv } from './test-server';

export type WorkflowHarness = {
  env: TestWorkflowEnvironment;
  db: Db;
  alerts: AlertStore;
  views: AlertViews;
  destinations: DestinationStore;
  rules: RuleStore;
  policies: EscalationPolicyStore;
  workflows: AlertWorkflows;
  actions: AlertActions;
  heartbeats: HeartbeatStore;
  heartbeatActions: HeartbeatActions;
  stop(): Promise<void>;
};

export async function startWorkflowHarness(taskQueue: string, lifetimeMs = 30 * 86_400_000): Promise<WorkflowHarness> {
  const env = await createTimeSkippingEnv();
  await ensureSearchAttributes(env.connection.operatorService, 'default');
  const db = openSqlite(mkdtempSync(path.join(process.env.HERALD_TEST_SCRATCH ?? '/tmp', 'wf-')));
  await migrateToLatest(db);
  const alerts = new AlertStore(db);
  const views = new AlertViews(db, taskQueue);
  const destinations = new DestinationStore(db, new SecretBox([randomBytes(32)]));
  const rules = new RuleStore(db);
  const policies = new EscalationPolicyStore(db);
  const groups = new GroupStore(db, taskQueue);
  const workflows = new AlertWorkflows(env.client, env.connection, taskQueue, lifetimeMs);
  const actions = new AlertActions(alerts, views, workflows, new LegacyAlerts(workflows));
  const heartbeats = new HeartbeatStore(db, taskQueue);
  const heartbeatActions = new HeartbeatActions(heartbeats, new HeartbeatWorkflows(workflows));
  const http = new HttpClient();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { code: readFileSync(process.env.HERALD_TEST_WORKFLOW_BUNDLE!, 'utf8') },
    activities: createActivities({
      logger: pino({ level: 'silent' }),
      alerts,
      destinations,
      rules,
      policies,
      circuits: new CircuitStore(db),
      attempts: new AttemptLog(db),
      rateLimits: new RateLimitStore(db),
      operations: NO_OPERATIONAL_EVENTS,
      heldEvents: new HeldEvents(alerts, groups, taskQueue, signalThrough(env.client)),
      groups,
      groupSignals: new GroupWorkflows(env.client, taskQueue),
      silences: new SilenceStore(db, taskQueue),
      inhibitions: new InhibitionStore(db, taskQueue),
      heartbeats,
      tenants: new TenantStore(db),
      heartbeatActions,
      alertActions: actions,
      registry: createRegistry(http, new SentMessageStore(db)),
      policy: { allowPrivate: true, allowInsecure: true },
    }),
  });
  const workerRun = worker.run();
  return {
    env,
    db,
    alerts,
    views,
    destinations,
    rules,
    policies,
    workflows,
    actions,
    heartbeats,
    heartbeatActions,
    async stop() {
      worker.shutdown();
      await workerRun;
      await http.close();
      await db.destroy();
      await env.teardown();
    },
  };
}
