// The HTTP API: health endpoints open, everything under /v1 behind an API key (README "API").
import express from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Registry } from '../destinations/registry';
import type { Db } from '../store/db';
import { DestinationStore } from '../store/destinations';
import { secretBox } from '../store/secret-box';
import { alertKeyFor, workflowIdFor } from '../domain/alert';
import { countAlertsWith, countCircuitsWith, httpRequestDuration, metricsText, readDestinationHealthFrom, registry as metricsRegistry } from '../metrics';
import type { PayloadCodec } from '@temporalio/common';
import path from 'node:path';
import { alertsRouter } from './alerts';
import { openApiDocument } from './openapi';
import { codecRouter } from './codec';
import { auditRouter, auditTo } from './audit';
import { AuditLog } from '../store/audit-log';
import { consoleRouter, portalRouter } from './console';
import { requireApiKey, requireScope } from './auth';
import { scopeFor } from '../domain/api-scopes';
import type { TenantScopedResource } from '../domain/request-tenant';
import { requestTenant } from './request-tenant';
import { DEFAULT_TENANT } from '../domain/tenants';
import { TenantPurges } from '../temporal/tenant-purges';
import { tenantsRouter } from './tenants';
import { TenantStore } from '../store/tenants';
import { TenantKeyStore } from '../store/tenant-keys';
import { TenantPortalStore } from '../store/tenant-portals';
import { rateLimitPerKey } from './rate-limit';
import { limitTenantIngest } from './tenant-limits';
import { documentedOptions, methodNotAllowed } from './allowed-methods';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../domain/json-depth';
import { destinationsRouter } from './destinations';
import { rulesRouter } from './rules';
import { escalationPoliciesRouter } from './escalation-policies';
import { EscalationPolicyStore } from '../store/escalation-policies';
import { groupsRouter } from './groups';
import { silencesRouter } from './silences';
import { SilenceStore } from '../store/silences';
import { InhibitionStore } from '../store/inhibitions';
import { inhibitRulesRouter } from './inhibit-rules';
import { GroupStore } from '../store/groups';
import { sourcesRouter } from './sources';
import { providerWebhooksRouter } from './provider-webhooks';
import { overviewRouter } from './overview';
import { HeartbeatActions, heartbeatsRouter, heartbeatTokenRouter } from './heartbeats';
import { actionLinksRouter } from './action-links';
import { ActionLinks } from '../crypto/action-links';
import { ActionLinkUses } from '../store/action-link-uses';
import { HeartbeatStore } from '../store/heartbeats';
import { HeartbeatWorkflows } from '../temporal/heartbeat-workflows';
import { RuleStore } from '../store/rules';
import { HttpError, errorHandler } from './errors';
import type { AlertWorkflows } from '../temporal/alert-workflows';
import { CircuitStore } from '../store/circuits';
import { AttemptLog } from '../store/attempt-log';
import { RateLimitStore } from '../store/rate-limits';
import { DestinationRecovery } from './destination-recovery';
import { HeldEvents } from '../temporal/held-events';
import { AlertStore } from '../store/alerts';
import { AlertViews } from '../store/alert-views';
import { AlertActions } from './alert-actions';
import { LegacyAlerts } from './legacy-alerts';
import { requestSpans } from '../telemetry/request-span';
import { activeTracing } from '../telemetry/tracing';

export const MAX_BODY_BYTES = 1024 * 1024;

/** A path with the tokens that act on their own (action links, heartbeat pings) masked: they never reach the log. */
export const withoutTokens = (p: string) => p.replace(/^\/actions\/[^/]+/, '/actions/****').replace(/^(\/v1\/heartbeats\/[^/]+\/ping)\/[^/]+/, '$1/****');

const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Herald API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="api"></div><script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ url: '/openapi.json', dom_id: '#api' });</script></body></html>`;

export type AppDeps = {
  config: Config;
  db: Db;
  registry: Registry;
  workflows: AlertWorkflows;
  logger: Logger;
  /** Set when payloads are encrypted (HERALD_CODEC_KEY): serves the codec endpoint for the Temporal UI. */
  codec?: PayloadCodec;
};

export function createApp({ config, db, registry, workflows, logger, codec }: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  const destinations = new DestinationStore(db, secretBox(config));
  const views = new AlertViews(db, config.taskQueue);
  const inhibitions = new InhibitionStore(db, config.taskQueue);
  const actions = new AlertActions(new AlertStore(db), views, workflows, new LegacyAlerts(workflows), inhibitions);

  // A span per request while tracing is on (README "Traces (OpenTelemetry)"); off, not even the middleware.
  if (activeTracing()) app.use(requestSpans(withoutTokens));
  app.use((req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      const ms = performance.now() - started;
      // The route pattern, not the path: ids must not become metric labels (a tenant's id neither: its mount is /v1/tenants/:tenant/…).
      const route = req.route ? `${req.baseUrl.replace(/^\/v1\/tenants\/[^/]+(?=\/)/, '/v1/tenants/:tenant')}${req.route.path}` : 'unmatched';
      httpRequestDuration.observe({ method: req.method, route, status: String(res.statusCode) }, ms / 1000);
      const alertId = /^\/v1(\/tenants\/[^/]+)?\/alerts$/.test(req.baseUrl) && typeof req.params.id === 'string' ? req.params.id : undefined;
      // Another tenant's alert runs under its key (src/domain/alert.ts alertKeyFor); the line names its tenant.
      const tenant = res.locals.tenant ?? DEFAULT_TENANT;
      logger.info(
        {
          method: req.method,
          path: withoutTokens(req.originalUrl.split('?')[0]!),
          status: res.statusCode,
          ms: Math.round(ms),
          ...(tenant !== DEFAULT_TENANT && { tenant }),
          ...(alertId && { alert_id: alertId, workflow_id: workflowIdFor(alertKeyFor(tenant, alertId)) }),
        },
        'request',
      );
    });
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    await workflows.ping();
    await destinations.list();
    res.json({ status: 'ready' });
  });

  // Another tenant's alert is linked under its tenant's path, which its own key and the operator's both reach.
  const links = (tenant: string, alert: { id: string; key: string }) => ({
    self: `${config.publicUrl}/v1/${tenant === DEFAULT_TENANT ? '' : `tenants/${tenant}/`}alerts/${encodeURIComponent(alert.id)}`,
    temporal_ui: `${config.temporalUiUrl}/namespaces/${encodeURIComponent(config.namespace)}/workflows/${encodeURIComponent(workflowIdFor(alert.key))}`,
  });

  // The API description and a page rendering it (Swagger UI from npm: no external network needed).
  const document = openApiDocument();
  app.use(documentedOptions(document.paths as Record<string, Record<string, unknown>>));
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(DOCS_PAGE);
  });
  app.use('/docs/assets', express.static(path.dirname(require.resolve('swagger-ui-dist/package.json')), { index: false }));

  countAlertsWith(() => views.counts());
  const circuitStore = new CircuitStore(db);
  const attemptLog = new AttemptLog(db);
  readDestinationHealthFrom(() => attemptLog.countsSince(new Date(Date.now() - 3600_000)));
  countCircuitsWith(() => circuitStore.countByState());
  // Prometheus scrapes with the same Bearer key (scrape_config `authorization`).
  app.get('/metrics', requireApiKey(config.apiKeys, config.apiKeyScopes), requireScope('read'), async (_req, res) => {
    res.type(metricsRegistry.contentType).send(await metricsText());
  });

  app.use('/console', consoleRouter(config.consoleDir));

  if (codec) app.use('/codec', codecRouter({ codec, uiOrigin: new URL(config.temporalUiUrl).origin, apiKeys: config.apiKeys, apiKeyScopes: config.apiKeyScopes, ...(config.uiCodecToken && { uiToken: config.uiCodecToken }) }));

  if (config.actionLinks) {
    const links = new ActionLinks(config.actionLinks.keys, config.actionLinks.baseUrl, config.actionLinks.ttlMs);
    app.use('/actions', actionLinksRouter({ verifier: links.verifier, uses: new ActionLinkUses(db), actions }));
  }

  const heartbeatActions = new HeartbeatActions(new HeartbeatStore(db, config.taskQueue), new HeartbeatWorkflows(workflows));
  app.use('/v1/heartbeats', heartbeatTokenRouter(heartbeatActions));
  app.use('/v1/tenants/:tenant/heartbeats', heartbeatTokenRouter(heartbeatActions));
  const { pagerduty, incidentIo } = config.providerWebhookSecrets;
  if (pagerduty.length + incidentIo.length > 0) {
    app.use('/v1/sources', providerWebhooksRouter({ actions, alerts: new AlertStore(db), destinations, taskQueue: config.taskQueue, secrets: config.providerWebhookSecrets, maxBodyBytes: MAX_BODY_BYTES }));
  }

  const v1 = express.Router();
  const tenants = new TenantStore(db);
  const tenantKeys = new TenantKeyStore(db);
  const tenantPortals = new TenantPortalStore(db);
  app.use('/portal', portalRouter({ keys: tenantKeys, portals: tenantPortals, dir: config.consoleDir }));
  // The request's tenant is decided before its scope: a tenant's key on another tenant's paths is answered 404, never 403.
  v1.use(
    requireApiKey(config.apiKeys, config.apiKeyScopes, tenantKeys),
    rateLimitPerKey(config.apiRateLimit.perSecond, config.apiRateLimit.burst),
    requestTenant(tenants),
    requireScope(scopeFor),
  );
  v1.use(express.json({ limit: MAX_BODY_BYTES, strict: true }), (req, _res, next) => {
    if (req.body !== undefined && nestsDeeperThan(req.body, MAX_JSON_DEPTH)) {
      return next(new HttpError(400, 'too_deep', `the body nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels`, { max_depth: MAX_JSON_DEPTH }));
    }
    next();
  });
  const auditLog = new AuditLog(db);
  const audit = auditTo(auditLog);
  const groups = new GroupStore(db, config.taskQueue);
  const heldEvents = new HeldEvents(new AlertStore(db), groups, config.taskQueue, (ids) => workflows.releaseHeld(ids));
  // Unreachable Temporal fails the request with 503; the change is stored, and a retry tells them again.
  const muteWindowsChanged = async () => void (await heldEvents.release());
  // Per-process: with N API processes a tenant may ingest N × ingest_per_second (README "Serving your customers").
  const ingestLimit = limitTenantIngest(tenants);
  v1.use('/tenants', tenantsRouter({ tenants, keys: tenantKeys, portals: tenantPortals, purges: new TenantPurges(workflows), audit, publicUrl: config.publicUrl }));
  // Tenant-scoped routers serve both their single-tenant path and /v1/tenants/{tenant}/… (src/domain/request-tenant.ts).
  const tenantScoped = (resource: TenantScopedResource, router: express.Router) => {
    v1.use(`/${resource}`, router);
    v1.use(`/tenants/:tenant/${resource}`, router);
  };
  tenantScoped('alerts', alertsRouter({ actions, destinations, links, audit, ingestLimit: ingestLimit }));
  tenantScoped(
    'destinations',
    destinationsRouter({
      store: destinations,
      registry,
      policy: { allowPrivate: config.allowPrivateTargets, allowInsecure: config.allowInsecureTargets },
      audit,
      circuits: circuitStore,
      attempts: attemptLog,
      rateLimits: new RateLimitStore(db),
      recovery: new DestinationRecovery(new AlertStore(db), workflows),
      releaseHeld: async (destinationId) => void (await heldEvents.release(destinationId)),
      maxDestinations: async (tenant) => (await tenants.get(tenant))?.max_destinations ?? null,
    }),
  );
  const policies = new EscalationPolicyStore(db);
  tenantScoped('rules', rulesRouter({ rules: new RuleStore(db), destinations, policies, audit, muteWindowsChanged }));
  tenantScoped('escalation-policies', escalationPoliciesRouter({ policies, destinations, audit }));
  tenantScoped('groups', groupsRouter({ groups }));
  tenantScoped('silences', silencesRouter({ silences: new SilenceStore(db, config.taskQueue), workflows, audit }));
  tenantScoped('inhibit-rules', inhibitRulesRouter({ inhibitions, audit }));
  tenantScoped('audit', auditRouter(auditLog));
  tenantScoped('overview', overviewRouter({ views, attempts: attemptLog, circuits: circuitStore, destinations }));
  tenantScoped('sources', sourcesRouter({ actions, assetLabel: config.sourceAssetLabel, ingestLimit }));
  tenantScoped('heartbeats', heartbeatsRouter({ actions: heartbeatActions, audit, publicUrl: config.publicUrl }));
  app.use('/v1', v1);

  app.use(methodNotAllowed(document.paths as Record<string, Record<string, unknown>>));
  app.use((req, _res, next) => next(new HttpError(404, 'not_found', `no route for ${req.method} ${req.path}`)));
  app.use(errorHandler(logger));
  return app;
}
