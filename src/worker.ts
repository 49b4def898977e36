// Worker wiring: the store, the destination registry and the activities built from them, polling
// the Herald task queue.
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities } from './activities';
import type { Config } from './config';
import { HttpClient } from './destinations/http-client';
import { createRegistry } from './destinations/registry';
import { AlertStore } from './store/alerts';
import { ATTEMPT_LOG_RETENTION_MS, AttemptLog } from './store/attempt-log';
import { RateLimitStore } from './store/rate-limits';
import { CircuitStore } from './store/circuits';
import { DestinationStore } from './store/destinations';
import { RuleStore } from './store/rules';
import { EscalationPolicyStore } from './store/escalation-policies';
import { secretBox } from './store/secret-box';
import { SentMessageStore } from './store/sent-messages';
import { sentMessageRetentionMs } from './sent-message-pruning';
import { startPruning } from './store-pruning';
import { TenantStore } from './store/tenants';
import { EXPIRED_PORTAL_LINKS_KEPT_MS, TenantKeyStore } from './store/tenant-keys';
import { AuditLog } from './store/audit-log';
import { InhibitionStore } from './store/inhibitions';
import { SilenceStore } from './store/silences';
import { GroupStore } from './store/groups';
import { HeartbeatStore } from './store/heartbeats';
import { HeartbeatActions } from './api/heartbeats';
import { HeartbeatWorkflows } from './temporal/heartbeat-workflows';
import { AlertViews } from './store/alert-views';
import { AlertActions } from './api/alert-actions';
import { LegacyAlerts } from './api/legacy-alerts';
import { AlertWorkflows } from './temporal/alert-workflows';
import { ActionLinks } from './crypto/action-links';
import { clientOptions, payloadCodec } from './temporal/connection';
import { HeldEvents, signalThrough } from './temporal/held-events';
import { OperationsEmitter } from './temporal/operations';
import { GroupWorkflows } from './temporal/group-workflows';
import { ensureSearchAttributes } from './temporal/search-attribute-registration';
import type { Db } from './store/db';
import { tracingActivityInterceptors, workflowSpanSink } from './telemetry/temporal';
import { WORKFLOW_INTERCEPTOR_MODULES } from './telemetry/workflow-modules';

/** Attempts are many (one row each): pruned every ten minutes, so a prune stays small. */
const ATTEMPT_PRUNE_INTERVAL_MS = 10 * 60_000;

export type WorkerOptions = {
  config: Config;
  db: Db;
  temporalAddress: string;
  logger: Logger;
  /** A prebuilt workflow bundle (tests bundle once); by default the worker bundles at start. */
  workflowBundle?: { code: string };
};

export async function createWorker({ config, db, temporalAddress, workflowBundle, logger }: WorkerOptions) {
  const http = new HttpClient();
  const codec = payloadCodec(config);
  const connection = await NativeConnection.connect({ address: temporalAddress });
  try {
    await ensureSearchAttributes(connection.operatorService, config.namespace);
  } catch (err) {
    await connection.close();
    throw new Error(
      `could not register Herald's search attributes on namespace "${config.namespace}" (${(err as Error).message}); ` +
        'run `herald setup` with operator rights, or register them as README "Find an alert in the Temporal UI" lists',
    );
  }
  // Activities start and signal group workflows through the worker's own connection.
  const alerts = new AlertStore(db);
  const destinations = new DestinationStore(db, secretBox(config));
  const groups = new GroupStore(db, config.taskQueue);
  const client = new Client({ connection, ...clientOptions(config.namespace, codec) });
  const alertWorkflows = new AlertWorkflows(client, connection, config.taskQueue, config.alertMaxLifetimeMs, config.firstAttempt);
  const heartbeats = new HeartbeatStore(db, config.taskQueue);
  const worker = await Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    maxCachedWorkflows: config.workerCachedAlerts,
    ...(codec && { dataConverter: { payloadCodecs: [codec] } }),
    // A prebuilt bundle carries the workflow interceptor modules already (test/support/global-setup.ts).
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve('./workflows') }),
    interceptors: { activity: tracingActivityInterceptors(), ...(!workflowBundle && { workflowModules: [...WORKFLOW_INTERCEPTOR_MODULES] }) },
    sinks: workflowSpanSink(),
    activities: createActivities({
      logger,
      alerts,
      destinations,
      rules: new RuleStore(db),
      policies: new EscalationPolicyStore(db),
      circuits: new CircuitStore(db),
      attempts: new AttemptLog(db),
      rateLimits: new RateLimitStore(db),
      operations: new OperationsEmitter(client, config.taskQueue, config.operationsDestinations, destinations, logger, config.publicUrl),
      heldEvents: new HeldEvents(alerts, groups, config.taskQueue, signalThrough(client)),
      groups,
      groupSignals: new GroupWorkflows(client, config.taskQueue),
      silences: new SilenceStore(db, config.taskQueue),
      inhibitions: new InhibitionStore(db, config.taskQueue),
      heartbeats,
      tenants: new TenantStore(db),
      heartbeatActions: new HeartbeatActions(heartbeats, new HeartbeatWorkflows(alertWorkflows)),
      // A missed heartbeat raises its alert as the API would (README "Heartbeats").
      alertActions: new AlertActions(alerts, new AlertViews(db, config.taskQueue), alertWorkflows, new LegacyAlerts(alertWorkflows), new InhibitionStore(db, config.taskQueue)),
      registry: createRegistry(http, new SentMessageStore(db)),
      policy: { allowPrivate: config.allowPrivateTargets, allowInsecure: config.allowInsecureTargets },
      ...(config.actionLinks && { actionLinks: new ActionLinks(config.actionLinks.keys, config.actionLinks.baseUrl, config.actionLinks.ttlMs) }),
    }),
  });
  // Started once the worker exists, so a failed start leaves no timer behind.
  const pruning = startPruning('sent-message records', new SentMessageStore(db), sentMessageRetentionMs(config), logger);
  const auditPruning = startPruning('audit entries', new AuditLog(db), config.auditRetentionMs, logger);
  // Tenants' retention_days: a plain timer in each worker like the prunes above, not a Temporal Schedule: a
  // delete that runs twice at once (several workers) deletes nothing twice, and it needs no workflow history.
  const tenants = new TenantStore(db);
  const tenantRetention = startPruning("tenants' closed alerts and delivery attempts past retention_days", { prune: (now) => tenants.pruneAllRetention(now) }, 0, logger, config.tenantRetentionIntervalMs);
  const attemptPruning = startPruning('destination attempts', new AttemptLog(db), ATTEMPT_LOG_RETENTION_MS, logger, ATTEMPT_PRUNE_INTERVAL_MS);
  const portalLinkPruning = startPruning('expired portal links', new TenantKeyStore(db), EXPIRED_PORTAL_LINKS_KEPT_MS, logger);
  return {
    worker,
    async close() {
      await pruning.stop();
      await auditPruning.stop();
      await attemptPruning.stop();
      await tenantRetention.stop();
      await portalLinkPruning.stop();
      await connection.close();
      await http.close();
    },
  };
}
